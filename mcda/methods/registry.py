"""The registry of ranking methods: one list of method modules, names, aliases, and ``get_method``.

:data:`METHOD_MODULES` declares every built-in method module of :mod:`mcda.methods`, in the order
the command line and the app list them. Each module names its classes in ``METHOD_CLASSES``;
importing :mod:`mcda.methods` imports these modules (numpy/pandas only — pymcdm, scipy and
matplotlib are never imported here) and registers every class under its ``name`` and
``aliases``. Adding a method is one module plus one line in :data:`METHOD_MODULES` (see
``docs/ARCHITECTURE.md``, "Ranking methods as plug-ins").

Everything that lists methods reads it: ``METHODS`` (name -> one-line description) for the
``rank`` / ``smaa`` help and the app, ``get_method(name, **options)`` for every caller.
``register_method`` adds one at run time (a plug-in outside this package, or a test).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from typing import Any

from mcda.errors import InputError
from mcda.methods.base import RankingMethod

__all__ = ["ALIASES", "METHODS", "METHOD_MODULES", "get_method", "method_class", "register_method"]

#: every built-in method module (in mcda/methods/), in the order METHODS lists them
METHOD_MODULES: tuple[str, ...] = (
    "topsis",
    "vikor",
    "promethee",
    "wsm",
    "wpm",
    "copras",
    "edas",
    "mabac",
    "spotis",
    "ahp",
    "aras",
    "electre3",
)

#: command-line name -> factory (usually the class)
_FACTORIES: dict[str, Callable[..., RankingMethod]] = {}
#: command-line name -> one-line description
METHODS: dict[str, str] = {}
#: alias -> command-line name
ALIASES: dict[str, str] = {}


def _key(name: Any) -> str:
    return str(name).strip().lower()


def register_method(
    name: str,
    factory: Callable[..., RankingMethod],
    description: str | None = None,
    aliases: tuple[str, ...] | list[str] = (),
) -> None:
    """Add (or replace) a method under its command-line name.

    Parameters
    ----------
    name : str
        Command-line name (case-insensitive).
    factory : callable
        Builds the method from its options (usually the RankingMethod subclass itself).
    description : str, optional
        One line for the help and the app (default: the factory's ``description``).
    aliases : sequence of str
        Other names that build the same method.
    """
    key = _key(name)
    _FACTORIES[key] = factory
    METHODS[key] = description if description is not None else str(getattr(factory, "description", ""))
    for a in aliases:
        ALIASES[_key(a)] = key


def _register_builtin() -> None:
    """Import every module of METHOD_MODULES and register the classes it lists."""
    for module in METHOD_MODULES:
        mod = importlib.import_module(f"mcda.methods.{module}")
        for cls in mod.METHOD_CLASSES:
            register_method(cls.name, cls, cls.description, cls.aliases)


def method_class(name: str) -> Callable[..., RankingMethod]:
    """The factory registered under a name or alias (InputError if unknown).

    Parameters
    ----------
    name : str
        Command-line name or alias, case-insensitive.

    Returns
    -------
    callable
        The factory (usually the method class) that :func:`get_method` calls with the options.

    Raises
    ------
    InputError
        No method is registered under ``name`` (the hint lists the known names).
    """
    key = ALIASES.get(_key(name), _key(name))
    if key not in _FACTORIES:
        raise InputError(
            f"unknown method '{name}'", where="method", hint="Use one of: " + ", ".join(sorted(METHODS)) + "."
        )
    return _FACTORIES[key]


def get_method(name: str, **options: Any) -> RankingMethod:
    """Build a ranking method by its command-line name or an alias.

    Parameters
    ----------
    name : str
        One of ``METHODS`` (topsis, vikor, promethee2, wsm, wpm, copras, edas, mabac, spotis,
        ahp, ...) or an alias (promethee, saw, ...).
    **options
        The method's options; those that are None are ignored (so a command line can pass unset
        flags through).

    Returns
    -------
    RankingMethod
        The method object.

    Raises
    ------
    InputError
        Unknown method, or an option the method does not take (the message lists the ones it does).
    """
    key = ALIASES.get(_key(name), _key(name))
    factory = method_class(name)
    opts = {k: v for k, v in options.items() if v is not None}
    accepted: list[str] | None = None
    if opts:  # no option given: none can be unknown (and no signature to read, ~0.1 ms a call)
        try:
            accepted = [p for p in inspect.signature(factory).parameters if p not in ("self", "args", "kwargs")]
        except (TypeError, ValueError):  # pragma: no cover - builtins without a signature
            accepted = None
    if accepted is not None:
        unknown = [k for k in opts if k not in accepted]
        if unknown:
            takes = f"its options are: {', '.join(accepted)}" if accepted else "it has no options"
            raise InputError(
                f"method {key} does not take option(s) {', '.join(unknown)}",
                where="method options",
                hint=f"Remove it; {takes}.",
            )
    try:
        return factory(**opts)
    except TypeError as exc:
        raise InputError(
            f"method {key} does not take option(s) {', '.join(opts)} ({exc})", where="method options"
        ) from None


_register_builtin()
