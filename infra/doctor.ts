// `npm run doctor`: the edge machine's checks for the on-call engineer, one line each, exit 1 on any
// FAIL. Run it from the edge's folder, as the edge's user, with the edge's environment (README, "Doctor").
import { formatLine, worst } from './doctor/check';
import { runDoctor } from './doctor/run';

async function main() {
  const json = process.argv.includes('--json');
  const results = await runDoctor(process.env);
  if (json) process.stdout.write(`${JSON.stringify({ verdict: worst(results), checks: results }, null, 2)}\n`);
  else process.stdout.write(`${results.map(formatLine).join('\n')}\n`);
  process.exitCode = worst(results) === 'FAIL' ? 1 : 0;
}

main().catch((e) => {
  process.stderr.write(`till-doctor: ${String((e as Error)?.stack ?? e)}\n`);
  process.exitCode = 1;
});
