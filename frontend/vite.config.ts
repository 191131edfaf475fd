/// <reference types="vitest/config" />
import { defineConfig, loadEnv } from "vite";
import react from "@vitejs/plugin-react";

// Paths the API owns; in dev they can be proxied so the UI needs no CORS setup on the server.
const API_PREFIXES = ["/jobs", "/cluster", "/metrics", "/health", "/api", "/ollama", "/diagnostics"];

export default defineConfig(({ mode }) => {
  const env = loadEnv(mode, process.cwd(), "");
  const proxyTarget = env.ADCLF_DEV_PROXY;
  return {
    plugins: [react()],
    // Relative asset URLs: the Serve app serves index.html at "/" and the bundle under "/assets/",
    // and a relative base keeps working if the app is mounted under a prefix.
    base: "./",
    build: {
      outDir: "../adclf/static",
      emptyOutDir: true,
      sourcemap: false,
    },
    server: {
      host: "127.0.0.1",
      port: 5173,
      proxy: proxyTarget
        ? Object.fromEntries(API_PREFIXES.map((p) => [p, { target: proxyTarget, changeOrigin: true }]))
        : undefined,
    },
    test: {
      environment: "jsdom",
      setupFiles: ["./src/test/setup.ts"],
      include: ["src/**/*.test.{ts,tsx}"],
      css: false,
      // CI boxes have 2 cores shared with Ray and Chromium: be generous with time, not retries.
      testTimeout: 30_000,
    },
  };
});
