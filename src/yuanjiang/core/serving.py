"""How `serve`, `dev` and `demo` decide between HTTPS and plain HTTP, before the settings load.

Production settings are the default (HTTPS only). Plain HTTP is chosen, unless YJ_HTTPS says
otherwise, where it cannot be reached from another machine or is meant for local use only:
`./yj demo`, `./yj dev` (which also turns DEBUG on unless YJ_DEBUG says otherwise) and `./yj serve`
bound to a loopback address without a declared proxy (YJ_TRUST_PROXY: a proxy on the same machine
terminates HTTPS, so the site is reached over HTTPS).

No Django imports here: this runs before the settings.
"""

import ipaddress
import os

DEFAULT_ADDRPORT = "127.0.0.1:8000"


def split_addrport(addrport: str) -> tuple[str, int]:
    host, _, port = addrport.rpartition(":")
    if not host:  # "8000"
        host, port = "127.0.0.1", addrport
    return host.strip("[]"), int(port)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def prepare_environment(args: list[str]) -> None:
    """Set YJ_HTTPS / YJ_DEBUG defaults for the command in `args` (never overriding what is set)."""
    command = args[0]
    if command == "demo":
        os.environ.setdefault("YJ_HTTPS", "0")
    elif command == "dev":
        os.environ.setdefault("YJ_HTTPS", "0")
        os.environ.setdefault("YJ_DEBUG", "1")
    elif command == "serve":
        positional = [a for a in args[1:] if not a.startswith("-")]
        addrport = positional[0] if positional else DEFAULT_ADDRPORT
        try:
            host, _port = split_addrport(addrport)
        except ValueError:
            return  # the command itself reports the bad address
        if is_loopback(host) and not _flag("YJ_TRUST_PROXY"):
            os.environ.setdefault("YJ_HTTPS", "0")
