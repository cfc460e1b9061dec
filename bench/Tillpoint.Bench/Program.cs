using Tillpoint.Bench;

// tillpoint-bench [all|throughput|ready|memory] [options]; `baseline-server` is the hidden verb the bench re-invokes
// itself with to run the bare Kestrel baseline in a separate process.
return await BenchProgram.RunAsync(args);
