/** @type {import('@remix-run/dev').AppConfig} */
module.exports = {
  appDirectory: 'app',
  serverBuildPath: 'build/index.js',
  assetsBuildDirectory: 'public/build',
  publicPath: '/build/',
  serverModuleFormat: 'cjs',
  serverPlatform: 'node',
  // PGlite references Node built-ins it never calls in the browser.
  browserNodeBuiltinsPolyfill: {
    modules: {
      module: 'empty', fs: 'empty', 'fs/promises': 'empty', path: 'empty', url: 'empty', crypto: 'empty',
      'stream/promises': 'empty',
      // receiptline (receipts in the browser) needs working util, stream, buffer and string_decoder.
      util: true, zlib: true, stream: true, buffer: true, string_decoder: true, events: true, assert: true,
    },
  },
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true },
};
