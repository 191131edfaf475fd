import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";
import { cleanup, configure } from "@testing-library/react";

// findBy*/waitFor default to 1 s, too tight for a loaded 2-core machine.
configure({ asyncUtilTimeout: 8000 });

afterEach(() => {
  cleanup();
  sessionStorage.clear();
  localStorage.clear();
});
