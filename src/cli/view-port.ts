// The view command's default port, apart from the server so that `--help` can name it
// without loading the server.

/** The port `tidemark view` serves on when `--port` is not given. */
export const DEFAULT_PORT = 7317;
