/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The build lands in this module's jar under META-INF/plinth-web/; Plinth serves it at / (WebAppRoutes).
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'target/classes/META-INF/plinth-web',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1000,
  },
  server: {
    // `npm run dev` against a Plinth started with the README's run command.
    proxy: { '/api': 'http://localhost:8080', '/actuator': 'http://localhost:8080' },
  },
  test: {
    environment: 'happy-dom',
    globals: true,
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
