import { defineConfig } from 'vitest/config'
import vue from '@vitejs/plugin-vue'

// The Go backend serves the API on :8080 during development.
const backend = 'http://127.0.0.1:8080'

export default defineConfig({
  plugins: [vue()],
  define: {
    // vue-i18n esm-bundler feature flags: composition API only, no devtools.
    __VUE_I18N_FULL_INSTALL__: true,
    __VUE_I18N_LEGACY_API__: false,
    __INTLIFY_PROD_DEVTOOLS__: false,
    __VUE_PROD_DEVTOOLS__: false,
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: false,
  },
  server: {
    proxy: {
      // The Host header stays the browser's (no changeOrigin): the server
      // checks that a browser's Origin matches the Host it was sent to.
      '/api': { target: backend, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    // dist/.gitkeep is committed; scripts/clean-dist.mjs empties the rest.
    emptyOutDir: false,
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'widget/**/*.test.ts'],
  },
})
