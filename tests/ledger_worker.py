"""A separate process writing to a ledger (for the crash and concurrency tests).

python ledger_worker.py URL add PREFIX N     add N applications, each with an event;
                                             print "ack NUMBER" after each commit
python ledger_worker.py URL auto N           add N applications numbered by the ledger
python ledger_worker.py URL extend N         try to extend applications R0..R{N-1}
"""

from __future__ import annotations

import datetime as dt
import sys

from gongkai.ledger.model import Application, Event
from gongkai.ledger.state import Refused
from gongkai.ledger.store import Ledger


def main() -> None:
    url, mode = sys.argv[1], sys.argv[2]
    ledger = Ledger.open(url)
    day = dt.date(2024, 3, 4)
    if mode == "add":
        prefix, n = sys.argv[3], int(sys.argv[4])
        for i in range(n):
            number = f"{prefix}{i:05d}"
            app = Application(number, day, "online", "natural_person", "某", "1")
            ledger.add(app, actor="worker", events=[Event("third_party_consulted", day)])
            print(f"ack {number}", flush=True)
    elif mode == "auto":
        for _ in range(int(sys.argv[3])):
            app = Application("", day, "online", "commercial")
            print(f"ack {ledger.add_numbered(app, actor='worker').number}", flush=True)
    elif mode == "extend":
        for i in range(int(sys.argv[3])):
            try:
                ledger.append(f"R{i}", Event("extended", day, reason="worker"), actor="worker")
                print("ok", flush=True)
            except Refused:
                print("refused", flush=True)


if __name__ == "__main__":
    main()
