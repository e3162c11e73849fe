/** Public surface of the NCCL log analysis: parse (streaming), diagnose, summarise. */
export { createNcclLogParser, parseNcclLog, parseNcclLogFile, type NcclLogParser } from './parser.js';
export { ncclLogFindings, NCCL_LOG_RULES, type NcclLogRule } from './findings.js';
export { summarizeNcclLog, formatNcclLogSummary, type NcclLogSummary, type NcclPairSummary } from './summary.js';
export { classifyLine, classifyMessage, type ClassifiedLine, type MessageRecord } from './lines.js';
export type * from './model.js';
