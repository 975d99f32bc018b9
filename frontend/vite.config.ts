import { defineConfig, loadEnv } from "vite";
import { svelte } from "@sveltejs/vite-plugin-svelte";

// The built files are embedded into the Go binary (frontend/embed.go) and served by the
// staff listener under a Content-Security-Policy without inline scripts or styles, so the
// build must emit every script and style as a file of its own.
export default defineConfig(({ mode }) => ({
  plugins: [svelte()],
  base: "/",
  build: {
    outDir: "dist",
    // dist/.gitkeep, which lets a clean clone embed an empty dist, is copied back in from
    // public/ after each clean build.
    emptyOutDir: true,
    assetsDir: "assets",
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    modulePreload: { polyfill: false },
    sourcemap: false,
    target: "es2022",
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev` talks to a local `portico serve`; set PORTICO_STAFF_URL to its staff URL.
    proxy: {
      "/api": {
        target: loadEnv(mode, ".", "PORTICO_").PORTICO_STAFF_URL || "https://127.0.0.1:8444",
        changeOrigin: false,
        secure: false,
      },
    },
  },
}));
