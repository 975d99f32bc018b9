import "@fontsource-variable/inter/wght.css";
import "./styles/base.css";
import "./styles/app.css";
import { mount } from "svelte";
import App from "./App.svelte";

// A file dropped outside a drop zone must not replace the workspace with that file.
for (const type of ["dragover", "drop"] as const) {
  window.addEventListener(type, (e) => {
    if (e.dataTransfer?.types.includes("Files")) e.preventDefault();
  });
}

mount(App, { target: document.getElementById("app")! });
