/**
 * The CLI's exit codes: scripts branch on these, so they are part of its contract (listed in
 * `tollgate --help` and the README). Values never change once published.
 */
export enum ExitCode {
  /** Done: paid in full, invoice paid (`watch`), or the request succeeded. */
  Ok = 0,
  /** Anything not listed below: a server error (5xx), a bug. */
  Failure = 1,
  /** Bad arguments or options, including an amount with more decimals than the asset has. */
  Usage = 2,
  /** `pay`: some money arrived, but not all of it. */
  Partial = 3,
  /** Refused: the payment delivered nothing because the receiver, the path or the uplink said no, or the server answered 4xx (bad credentials, unknown id, invalid input). */
  Refused = 4,
  /** Network: the server, the uplink or the receiver could not be reached, or the payment timed out with nothing delivered. */
  Network = 5,
  /** `invoice watch`: the invoice expired before it was paid. */
  Expired = 6,
  /** Stopped with Ctrl-C (what shells report for SIGINT). */
  Interrupted = 130,
}

/** One line per code, for `--help`. */
export const EXIT_CODE_HELP = `Exit codes:
    0  done (paid in full; invoice paid for "invoice watch")
    1  other failure (server error, bug)
    2  usage error (bad arguments; an amount with more decimals than the asset allows)
    3  partial payment (some money arrived, not all)
    4  refused (nothing delivered: receiver, path or uplink said no; or the server answered 4xx)
    5  network error (server, uplink or receiver unreachable; timed out with nothing delivered)
    6  invoice expired ("invoice watch")
  130  interrupted (Ctrl-C)`;
