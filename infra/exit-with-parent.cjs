// Preloaded into the function server (node --require): when the launcher dies, even by SIGKILL, the
// function server follows within a second instead of living on holding its ports.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(1);
}, 500).unref();
