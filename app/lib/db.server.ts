export { getDatabase } from '../../functions/lib/database';
