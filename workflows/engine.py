"""The workflow engine: states and transitions as data, one checked way to move between them.

A ``Workflow`` is immutable data (``State``, ``Transition``); the engine methods
write ``obj.state``, ``obj.__acl__`` and ``obj.workflow_history`` and send
events. Nothing here commits: everything happens in the caller's transaction.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from pyramid.authorization import ALL_PERMISSIONS, Allow, Authenticated, Deny, Everyone
from pyramid.exceptions import ConfigurationError

from content_types.events import ACLChanged, StateChanged
from content_types.i18n import N_, _
from content_types.security import ROLE_PREFIX, ROLES
from content_types.values import utcnow
from workflows.errors import CommentRequired, GuardFailed, TransitionForbidden, UnknownTransition, WrongState

#: special permission-map keys besides role names (Pyramid's constants are accepted too)
SPECIAL_PRINCIPALS = {
    "Everyone": Everyone, Everyone: Everyone,
    "Authenticated": Authenticated, Authenticated: Authenticated,
}
ADMIN_ROLE = "admin"
#: history "transition" of the entry written when an object enters its initial state
CREATED = "created"
#: the Italian id of that entry before evolve step 9
FORMER_CREATED = "creato"


@dataclass(frozen=True)
class State:
    """A state and who may do what in it: ``permissions`` maps role -> permission names."""

    name: str
    title_it: str
    permissions: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Transition:
    """A named move between states, fired by whoever holds ``permission`` on the object."""

    name: str
    title_it: str
    from_states: tuple
    to_state: str
    permission: str
    guards: tuple = ()
    comment_required: bool = False


class Option(NamedTuple):
    """A transition the user may fire now; ``allowed`` is False when a guard objects."""

    transition: Transition
    allowed: bool
    reason: str


def run_guard(guard: Callable, obj, request):
    """The Italian reason ``guard`` refuses, or None if it lets the transition pass."""
    try:
        result = guard(obj, request)
    except GuardFailed as exc:
        return exc.message
    return result if isinstance(result, str) and result else None


def principal_for(key):
    """The ACL principal a permission-map key stands for."""
    if key in SPECIAL_PRINCIPALS:
        return SPECIAL_PRINCIPALS[key]
    return ROLE_PREFIX + key


class Workflow:
    """A named set of states and transitions plus the permissions it decides alone."""

    def __init__(self, name, title_it, states, transitions, initial_state,
                 managed_permissions):
        self.name = name
        self.title_it = title_it
        self.states = tuple(states)
        self.transitions = tuple(transitions)
        self.initial_state = initial_state
        self.managed_permissions = tuple(managed_permissions)
        self._states = {s.name: s for s in self.states}
        self._transitions = {t.name: t for t in self.transitions}

    def __repr__(self):
        return f"<Workflow {self.name!r}>"

    # -- definition checks -------------------------------------------------------
    def validate(self):
        """Raise ``ConfigurationError`` unless the definition is consistent."""
        where = f"workflow {self.name!r}"
        problems = []
        if not self.name:
            problems.append("empty name")
        for kind, items in (("state", self.states), ("transition", self.transitions)):
            seen = set()
            for item in items:
                if item.name in seen:
                    problems.append(f"duplicate {kind} {item.name!r}")
                seen.add(item.name)
        if self.initial_state not in self._states:
            problems.append(f"unknown initial state {self.initial_state!r}")
        managed = set(self.managed_permissions)
        for state in self.states:
            for key, perms in state.permissions.items():
                if key not in ROLES and key not in SPECIAL_PRINCIPALS:
                    problems.append(f"state {state.name!r}: unknown role {key!r}")
                if isinstance(perms, str):
                    problems.append(
                        f"state {state.name!r}, role {key!r}: permissions must be a tuple"
                    )
                    continue
                for perm in perms:
                    if perm not in managed:
                        problems.append(
                            f"state {state.name!r}, role {key!r}: permission {perm!r} "
                            "is not in managed_permissions"
                        )
        for tr in self.transitions:
            if not tr.from_states or isinstance(tr.from_states, str):
                problems.append(f"transition {tr.name!r}: from_states must be a non-empty tuple")
            else:
                for name in tr.from_states:
                    if name not in self._states:
                        problems.append(f"transition {tr.name!r}: unknown from state {name!r}")
            if tr.to_state not in self._states:
                problems.append(f"transition {tr.name!r}: unknown to state {tr.to_state!r}")
            # an unmanaged permission would be inherited, so the state map would not decide
            if tr.permission not in managed:
                problems.append(
                    f"transition {tr.name!r}: permission {tr.permission!r} "
                    "is not in managed_permissions"
                )
            for guard in tr.guards:
                if not callable(guard):
                    problems.append(f"transition {tr.name!r}: guard {guard!r} is not callable")
        if problems:
            raise ConfigurationError(f"{where}: " + "; ".join(problems))
        return self

    # -- lookups -----------------------------------------------------------------
    def state(self, name):
        return self._states.get(name)

    def transition(self, name):
        return self._transitions.get(name)

    def state_title(self, name):
        state = self._states.get(name)
        return state.title_it if state is not None else str(name)

    def acl_for(self, state_name):
        """The ACL an object gets in ``state_name`` (admin first, managed denied last)."""
        state = self._states[state_name]
        acl = [(Allow, ROLE_PREFIX + ADMIN_ROLE, ALL_PERMISSIONS)]
        for key, perms in state.permissions.items():
            if perms:
                acl.append((Allow, principal_for(key), tuple(perms)))
        acl.append((Deny, Everyone, tuple(self.managed_permissions)))
        return acl

    # -- the engine ----------------------------------------------------------------
    def apply_acl(self, obj, registry=None, request=None):
        """Rewrite ``obj.__acl__`` for its current state; True (and ACLChanged) if it changed."""
        reg = registry_of(request, registry)
        acl = self.acl_for(obj.state)
        if list(getattr(obj, "__acl__", ()) or ()) == acl:
            return False
        obj.__acl__ = acl
        reg.notify(ACLChanged(obj, request=request))
        return True

    def initialize(self, obj, request=None, registry=None):
        """Put a new object in the initial state: ACL written, history entry ``created``."""
        reg = registry_of(request, registry)
        who = _userid(request) or getattr(obj, "creator", None)
        _set_state(obj, self.initial_state, self.acl_for(self.initial_state))
        _append_history(obj, {
            "who": who, "when": utcnow(), "transition": CREATED, "title": N_("Creato"),
            "from_state": None, "to_state": self.initial_state, "comment": "",
        })
        reg.notify(ACLChanged(obj, request=request))
        reg.notify(StateChanged(obj, self.name, None, None, self.initial_state,
                                request=request))

    def transitions_for(self, obj, request):
        """Transitions the current user may fire on ``obj`` now, with guard verdicts."""
        options = []
        for tr in self.transitions:
            if obj.state not in tr.from_states:
                continue
            if not request.has_permission(tr.permission, obj):
                continue
            reason = self._guard_reason(tr, obj, request)
            options.append(Option(tr, reason is None, reason))
        return options

    def check(self, obj, request, name, comment=""):
        """The transition ``name`` if it may fire now; raises the first failing check."""
        tr = self._transitions.get(name)
        if tr is None:
            raise UnknownTransition(_("Operazione sconosciuta: «${name}».", mapping={"name": name}))
        if obj.state not in tr.from_states:
            raise WrongState(
                _('La pratica è già stata modificata: ora è nello stato "${state_title}".',
                  mapping={"state_title": _(self.state_title(obj.state))})
            )
        # request=None means a trusted system caller (scripts, subscribers)
        if request is not None and not request.has_permission(tr.permission, obj):
            raise TransitionForbidden(
                _("Non hai i permessi per l'operazione «${title}».", mapping={"title": _(tr.title_it)})
            )
        if tr.comment_required and not (comment or "").strip():
            raise CommentRequired(
                _("Per l'operazione «${title}» è obbligatorio indicare una motivazione.",
                  mapping={"title": _(tr.title_it)})
            )
        reason = self._guard_reason(tr, obj, request)
        if reason is not None:
            raise GuardFailed(reason)
        return tr

    def fire(self, obj, request, name, comment="", registry=None):
        """Fire transition ``name``; on any failure raises and changes nothing."""
        reg = registry_of(request, registry)
        comment = (comment or "").strip()
        tr = self.check(obj, request, name, comment)
        old = obj.state
        _set_state(obj, tr.to_state, self.acl_for(tr.to_state))
        _append_history(obj, {
            "who": _userid(request), "when": utcnow(), "transition": tr.name,
            "title": tr.title_it, "from_state": old, "to_state": tr.to_state,
            "comment": comment,
        })
        touch = getattr(obj, "touch", None)
        if touch is not None:
            touch()
        else:
            obj.modified = utcnow()
        reg.notify(ACLChanged(obj, request=request))
        reg.notify(StateChanged(obj, self.name, tr.name, old, tr.to_state, comment,
                                request=request))
        return tr

    def _guard_reason(self, tr, obj, request):
        for guard in tr.guards:
            reason = run_guard(guard, obj, request)
            if reason is not None:
                return reason
        return None


def history(obj):
    """The workflow history of ``obj``: a tuple of dicts, oldest first."""
    return tuple(getattr(obj, "workflow_history", None) or ())


def _set_state(obj, state, acl):
    obj.state = state
    obj.__acl__ = acl


def _append_history(obj, entry):
    # reassigning a new tuple marks the persistent object changed
    obj.workflow_history = history(obj) + (entry,)


def _userid(request):
    return getattr(request, "authenticated_userid", None) if request is not None else None


def registry_of(request, registry):
    """The registry the caller passed, else its request's: never a thread-local guess."""
    if registry is not None:
        return registry
    if request is not None and getattr(request, "registry", None) is not None:
        return request.registry
    raise TypeError("pass the request or the registry whose subscribers get the events")
