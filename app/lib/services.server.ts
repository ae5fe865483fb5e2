// Everything routes call on the server. The `.server` name keeps these modules out of the browser bundle.
export * from '../../services/admin-auth';
export * from '../../services/device-auth';
export * from '../../services/catalog';
export * from '../../services/outbox';
