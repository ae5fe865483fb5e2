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
      module: 'empty',
      fs: 'empty',
      'fs/promises': 'empty',
      path: 'empty',
      url: 'empty',
      crypto: 'empty',
      util: 'empty',
      zlib: 'empty',
      stream: 'empty',
      'stream/promises': 'empty',
      buffer: true,
    },
  },
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  future: { v3_fetcherPersist: true, v3_relativeSplatPath: true, v3_throwAbortReason: true },
};
