import { Logger } from '@aws-lambda-powertools/logger';
import { serverConfig } from '../../config/server-config';

/** One JSON line per log record, with the request id appended per invocation by the handler wrapper. */
export const logger = new Logger({ serviceName: 'till', logLevel: serverConfig().LOG_LEVEL });
