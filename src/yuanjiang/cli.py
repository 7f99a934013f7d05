"""The `yuanjiang` command line (what `./yj <command>` runs).

`yuanjiang claims extract FILE` needs no database and no Django; everything else is a Django
management command (`demo`, `metrics`, `claims check`, `migrate`, `createsuperuser`, ...). `--demo` anywhere on the
command line selects the demo database (var/demo.sqlite3).

`yuanjiang --help` lists the commands: every management command of a yuanjiang app (its `help`
text, which by convention is "中文 · English"), plus the few commands of EXTRA_COMMANDS that are not
management commands. An app that adds a management command appears there without editing this file.
"""

import os
import sys

# Commands that are not management commands of a yuanjiang app: name → (arguments, description).
# A yuanjiang management command of the same name replaces the entry.
EXTRA_COMMANDS = {
    "test": (
        "[pytest 参数]",
        "代码检查（ruff）并运行全部测试；只能经 ./yj 运行 · Lint and run the test suite (./yj only)",
    ),
    "claims": (
        "extract FILE",
        "从文本中提取数字表述，无需数据库 · Extract the numeric claims of a text, no database",
    ),
    "serve": (
        "[地址:端口]",
        "以生产服务器（gunicorn）启动网站 · Serve your own database (production server)",
    ),
    "dev": ("[地址:端口]", "以开发服务器启动网站（DEBUG） · Django's development server, DEBUG on"),
    "migrate": ("", "建立或升级数据库表 · Create or upgrade the database tables (Django)"),
    "createsuperuser": ("", "创建系统管理员账号 · Create an administrator account (Django)"),
}
CLAIMS_SUBCOMMANDS = {
    "extract": (
        "FILE [--format json|tsv]",
        "提取文本中的数字表述（数值、单位、限定词）· Extract numeric claims of a text",
    ),
    "check": (
        "FILE [--demo] --program SLUG | --org SLUG [--period …] [--date YYYY-MM-DD] [--format json|html]",
        "逐条核对文本中的数字与记录 · Check each numeric claim of a text against the records",
    ),
}


def _setup_django() -> bool:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    try:
        import django

        django.setup()
    except Exception:  # e.g. YJ_SECRET_KEY missing: list what needs no settings
        return False
    return True


def _management_commands() -> dict[str, str]:
    """{name: one-line help} of the management commands of yuanjiang's own apps."""
    from django.core.management import get_commands, load_command_class

    result = {}
    for name, app in sorted(get_commands().items()):
        if not app.startswith("yuanjiang."):
            continue
        try:
            text = str(load_command_class(app, name).help or "")
        except Exception:  # a broken command must not break the listing
            text = ""
        result[name] = text.strip().splitlines()[0] if text.strip() else ""
    return result


def commands() -> dict[str, tuple[str, str]]:
    """Every command `yuanjiang --help` lists: {name: (arguments, description)}."""
    listed = dict(EXTRA_COMMANDS)
    if _setup_django():
        for name, text in _management_commands().items():
            listed[name] = ("", text or listed.get(name, ("", ""))[1])
    return dict(sorted(listed.items()))


def print_help(out=None) -> None:
    out = out or sys.stdout
    out.write("援疆成效台账命令行 · yuanjiang command line\n\n")
    out.write("用法 · usage: ./yj <命令 command> [参数 arguments] [--demo]\n\n命令 · commands:\n")
    listed = commands()
    width = max(len(name) for name in listed) + 2
    for name, (args, text) in listed.items():
        out.write(f"  {name:<{width}}{text}\n")
        if args:
            out.write(f"  {'':<{width}}  ./yj {name} {args}\n")
    out.write(
        "\n加 --demo 使用演示数据库（var/demo.sqlite3）· add --demo to use the demo database.\n"
        "某个命令的详细说明 · details of a command: ./yj help <命令>；Django 的全部命令 · every Django "
        "command: ./yj help --commands\n"
    )


def print_claims_help(out=None) -> None:
    out = out or sys.stdout
    out.write("用法 · usage: ./yj claims <子命令 sub-command> ...\n\n子命令 · sub-commands:\n")
    for name, (args, text) in CLAIMS_SUBCOMMANDS.items():
        out.write(f"  {name:<10}{text}\n  {'':<10}  ./yj claims {name} {args}\n")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args in (["--help"], ["-h"], ["help"]):
        print_help()
        return 0
    if args[0] == "claims":
        if len(args) > 1 and args[1] == "extract":
            from yuanjiang.cnnum.cli import main as claims_main

            return claims_main(args[2:])
        if not (len(args) > 1 and args[1] == "check"):  # `check` needs the database: Django's command
            print_claims_help()
            return 0 if len(args) > 1 and args[1] in ("-h", "--help", "help") else 2
    if "--demo" in args:
        args.remove("--demo")
        os.environ["YJ_DEMO"] = "1"
    if args and args[0] == "demo":
        os.environ["YJ_DEMO"] = "1"
    if args and args[0] in {"serve", "dev", "demo"}:
        from yuanjiang.core.serving import prepare_environment

        prepare_environment(args)  # plain HTTP for local use (see core/serving.py)
    if args and args[0] == "dev":
        args[0] = "runserver"  # `dev`: Django's development server; `serve`: the production server
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yuanjiang.config.settings")
    if args and args[0] == "serve" and (not _setup_django() or "serve" not in _management_commands()):
        args[0] = "runserver"
    from django.core.management import execute_from_command_line

    execute_from_command_line(["yuanjiang", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
