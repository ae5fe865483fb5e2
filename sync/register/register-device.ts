// A register's device in one company, as the register's own code passes it around (sales, shifts).
export interface RegisterDevice {
  id: string;
  companyId: string;
  companyCode: string;
  code: string;
}
