import { buildApp } from '../infra/build-app';

/** Build the app once for every test that starts an edge. */
export default function setup() {
  buildApp();
  process.env.TILL_SKIP_BUILD = '1';
}
