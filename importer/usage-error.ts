/** Bad options: no files, unknown folder, malformed company map. The CLI exits 2 on these. */
export class ImportUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportUsageError';
  }
}
