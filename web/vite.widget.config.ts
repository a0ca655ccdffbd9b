import { defineConfig } from 'vite'

// The customer chat widget (widget/): one self-contained script,
// dist/widget.js, that websites embed. Built after the app, into the same
// dist/ without emptying it (the app's files and dist/.gitkeep stay).
export default defineConfig({
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    copyPublicDir: false,
    target: 'es2022',
    lib: {
      entry: 'widget/main.ts',
      formats: ['iife'],
      name: 'SwitchboardChat',
      fileName: () => 'widget.js',
    },
    minify: true,
  },
})
