"""The `yuanjiang` command line.

`yuanjiang claims extract FILE` needs no database and no Django; everything else is a Django
management command (`demo`, `metrics`, `claims check`, `migrate`, `createsuperuser`, ...). `--demo` anywhere on the
command line selects the demo database (var/demo.sqlite3).
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:2] == ["claims", "extract"]:
        from yuanjiang.cnnum.cli import main as claims_main

        return claims_main(args[2:])
    if "--demo" in args:
        args.remove("--demo")
        os.environ["YJ_DEMO"] = "1"
    if args and args[0] == "demo":
        os.environ["YJ_DEMO"] = "1"
    if args and args[0] == "serve":
        args[0] = "runserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuanjiang", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
