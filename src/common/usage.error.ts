/** A command line that cannot be run as given: the CLI prints the message and the command's help, and exits 2. */
export class UsageError extends Error {}
