import { Logger } from '@aws-lambda-powertools/logger';

/** One JSON line per log record, with the request id appended per invocation by the handler wrapper. */
export const logger = new Logger({ serviceName: 'till', logLevel: (process.env.LOG_LEVEL as 'INFO') ?? 'INFO' });
