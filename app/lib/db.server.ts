export { getDatabase } from '../../db/process-database';
