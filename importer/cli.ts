// `npm run import:erpnext -- --data-dir <folder> [--dry-run] [--create-companies] [--company-map "A=B,…"] [--report <file>]`
// Exit codes: 0 the import ran (even with rejected rows), 2 usage error, 1 anything else (database down…).
import { parseArgs } from 'node:util';
import { openEdgeDatabase } from '../infra/edge-database';
import { CompanyMapError, parseCompanyMap } from './company-map';
import { importErpnext, ImportUsageError } from './import-erpnext';
import { numberFormatByName } from './money';
import { formatSummary, progressBar } from './report';

export const USAGE = `Usage: import:erpnext --data-dir <folder> [options]

Imports the ERPNext Item, Item Price and Customer CSV exports found in <folder>.

Options:
  --data-dir <folder>        folder with the exported .csv files (required)
  --dry-run                  validate and report what would change; write nothing
  --company-map "A=B,C=D"    ERPNext company name = Till company name (default: same names)
  --create-companies         create the companies the export names (the map's targets when a map is
                             given) that do not exist yet, with the warehouses its Item Defaults name
                             (else one default warehouse each) and the VAT rates its Item Tax Templates
                             spell out (else none); with --dry-run, only lists them
  --report <file>            CSV report of rejected rows (default: import-reports/<timestamp>.csv)
  --number-format <format>   ERPNext number format of the export (default "#,###.##"; e.g. "#.###,##")
  --progress                 show the progress bar even when stderr is not a terminal
  --help                     this text

Exit code: 0 when the import ran (rejected rows are in the report), 2 on usage errors.`;

export class UsageError extends Error {}

export interface CliOptions {
  dataDir: string;
  dryRun: boolean;
  createCompanies: boolean;
  companyMap: Map<string, string>;
  report: string;
  numberFormat: ReturnType<typeof numberFormatByName>;
  progress: boolean;
  help: boolean;
}

export function parseCli(argv: string[], now = new Date()): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'data-dir': { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        'create-companies': { type: 'boolean', default: false },
        'company-map': { type: 'string' },
        report: { type: 'string' },
        'number-format': { type: 'string' },
        progress: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const help = values.help ?? false;
  if (!help && !values['data-dir']) throw new UsageError('--data-dir <folder> is required');
  let companyMap: Map<string, string>;
  try {
    companyMap = parseCompanyMap(values['company-map']);
  } catch (e) {
    if (e instanceof CompanyMapError) throw new UsageError(`--company-map: ${e.message}`);
    throw e;
  }
  let numberFormat;
  if (values['number-format'] !== undefined) {
    numberFormat = numberFormatByName(values['number-format']);
    if (!numberFormat) throw new UsageError(`--number-format "${values['number-format']}" is not one of #,###.## #.###,## # ###.## # ###,## #'###.## ####.##`);
  }
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  return {
    dataDir: values['data-dir'] ?? '',
    dryRun: values['dry-run'] ?? false,
    createCompanies: values['create-companies'] ?? false,
    companyMap,
    report: values.report ?? `import-reports/${stamp}.csv`,
    numberFormat,
    progress: values.progress ?? false,
    help,
  };
}

export async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseCli(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`import:erpnext: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const edge = await openEdgeDatabase({ pool: 2 });
  const bar = opts.progress || process.stderr.isTTY ? progressBar(process.stderr) : null;
  try {
    const summary = await importErpnext(edge.database, {
      dataDir: opts.dataDir,
      dryRun: opts.dryRun,
      createCompanies: opts.createCompanies,
      companyMap: opts.companyMap,
      numberFormat: opts.numberFormat,
      reportFile: opts.report,
      startedBy: 'cli',
      onProgress: bar ? (p) => bar.update(p) : undefined,
    });
    bar?.done();
    console.log(formatSummary(summary));
    return 0;
  } catch (e) {
    bar?.done();
    if (e instanceof ImportUsageError) {
      console.error(`import:erpnext: ${e.message}`);
      return 2;
    }
    throw e;
  } finally {
    await edge.close();
  }
}

const invokedDirectly = process.argv[1] !== undefined && /importer[\\/]cli\.ts$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(`import:erpnext: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    },
  );
}
