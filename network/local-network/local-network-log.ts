/**
 * Where the local network reports: `notice` is for the person at the
 * terminal (a line they must see, such as "starting fresh"); `info` and
 * `warn` are for the log file.
 */
export interface LocalNetworkLog {
  notice(message: string): void;
  info(message: string): void;
  warn(message: string): void;
}
