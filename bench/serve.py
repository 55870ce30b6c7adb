"""The benchmark's server: the real application on a generated database, served by werkzeug's
threaded WSGI server in its own process (so the runner's clients do not share its GIL).

    .venv/bin/python -m bench.serve --url sqlite:///... [--port 0]

Prints `PORT <n>` once it listens. SIGUSR1 switches the null cipher on, SIGUSR2 off (see
bench/null_cipher.py); SIGTERM stops the server.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from werkzeug.serving import WSGIRequestHandler, make_server


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:  # no access log: keep the output clean
        pass


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description="Benchmarkserver")
    parser.add_argument("--url", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args(argv)

    from bench import null_cipher
    from bench.generate import build_app

    app = build_app(args.url)
    null_cipher.install()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = make_server("127.0.0.1", args.port, app, threaded=True, request_handler=QuietHandler)

    def on(*_):
        null_cipher.switch(True)

    def off(*_):
        null_cipher.switch(False)
        print(
            f"NULL hits={null_cipher.state['hits']} misses={null_cipher.state['misses']}",
            file=sys.stderr,
            flush=True,
        )

    def stop(*_):
        raise KeyboardInterrupt

    signal.signal(signal.SIGUSR1, on)
    signal.signal(signal.SIGUSR2, off)
    signal.signal(signal.SIGTERM, stop)
    print(f"PORT {server.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
