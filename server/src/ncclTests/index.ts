/** Public surface of the nccl-tests analysis: parse (streaming), diagnose, chart series. */
export { createNcclTestsParser, looksLikeNcclTests, parseNcclTests, parseNcclTestsFile, type NcclTestsParser } from './parser';
export { MIN_JUDGED_BYTES, NCCL_TESTS_RULES, ncclTestsFindings } from './findings';
export { bandwidthSeries, curves, formatBytes, largestSize, peakBusBandwidth, runName, type ChartPoint, type ChartSeries, type Peak, type Placement } from './series';
export { expectedLink, type GpuLink } from './gpuLinks';
export { formatNcclTestsSummary, summarizeNcclTests, type NcclTestsRunSummary } from './summary';
export type * from './model';
