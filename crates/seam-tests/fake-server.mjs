// Starts the official fake Seam server (@seamapi/fake-seam-connect) for the
// end-to-end tests, and stops it when standard input closes: the test process
// holds the other end, so the server can never outlive the tests, even when
// they are killed.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("close", () => process.exit(0));
process.stdin.resume();
await import("./node_modules/@seamapi/fake-seam-connect/dist/server.js");
