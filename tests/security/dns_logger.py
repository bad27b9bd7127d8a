"""A logging DNS resolver for an isolated network namespace: every name asked is appended to a file,
every answer is NXDOMAIN. Run inside the namespace: `python dns_logger.py LOGFILE` (binds 127.0.0.1:53)."""

from __future__ import annotations

import socket
import sys


def question_name(packet: bytes) -> tuple[str, int]:
    labels, i = [], 12
    while i < len(packet) and packet[i]:
        length = packet[i]
        labels.append(packet[i + 1:i + 1 + length].decode("ascii", "replace"))
        i += 1 + length
    return ".".join(labels), i + 5  # the name, and the end of the question (type and class)


def main(log_path: str) -> None:
    server = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server.bind(("127.0.0.1", 53))
    with open(log_path, "a", buffering=1, encoding="utf-8") as log:
        log.write("ready\n")
        while True:
            packet, sender = server.recvfrom(4096)
            if len(packet) < 12:
                continue
            name, end = question_name(packet)
            log.write(name + "\n")
            # header: same id, response + recursion available, rcode 3 (NXDOMAIN), one question echoed
            server.sendto(packet[:2] + b"\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00" + packet[12:end], sender)


if __name__ == "__main__":
    main(sys.argv[1])
