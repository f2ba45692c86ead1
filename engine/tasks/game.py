"""The Quick, Draw!-style game as plain state: rounds, a clock, and what the model saw.

A :class:`Game` is immutable; every event (:meth:`Game.observe` a guess, :meth:`Game.tick` the
clock, :meth:`Game.skip`) returns the next state. Time is passed in (``now``, seconds), so the
rules are tested without waiting and the page decides where the clock comes from.

Example:
    >>> g = new_game(["cat", "sun", "tree", "car", "cup", "key", "eye"], now=0.0, seed=1)
    >>> g.current.target in {"cat", "sun", "tree", "car", "cup", "key", "eye"}, g.time_left(5.0)
    (True, 15.0)
    >>> g = g.observe(g.current.target, 0.9, now=6.0)  # the model's top guess is the word asked
    >>> g.rounds[0].outcome, g.index, g.score
    ('won', 1, 1)
    >>> g.tick(now=30.0).rounds[1].outcome  # 20 s after round 2 started at 6 s
    'lost'
    >>> g.skip(now=7.0).counts()  # given up: skipped, not lost
    {'won': 1, 'lost': 0, 'skipped': 1}
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from engine.errors import InvalidInput

ROUNDS = 6
SECONDS = 20.0

Outcome = Literal["waiting", "playing", "won", "lost", "skipped"]
ENDED: tuple[Outcome, ...] = ("won", "lost", "skipped")  # how a round can end


@dataclass(frozen=True)
class Round:
    """One round: the word asked, how it ended and the model's last look at the drawing.

    ``drawing`` is whatever the page wants to show in the summary (the 28×28 input); it is not
    compared, so two rounds with equal words and outcomes are equal.
    """

    target: str
    outcome: Outcome = "waiting"
    started: float | None = None
    ended: float | None = None
    guess: str = ""  # the model's top guess when the round ended (or its latest one)
    guess_score: float = 0.0
    drawing: Any = field(default=None, compare=False, repr=False)

    @property
    def seconds(self) -> float:
        """How long the round lasted (0 while it has not ended)."""
        if self.started is None or self.ended is None:
            return 0.0
        return self.ended - self.started


@dataclass(frozen=True)
class Game:
    """A whole game: its rounds in order and the index of the one being played."""

    rounds: tuple[Round, ...]
    index: int = 0
    seconds_per_round: float = SECONDS

    @property
    def finished(self) -> bool:
        return self.index >= len(self.rounds)

    @property
    def current(self) -> Round:
        """The round being played (an error once the game is over)."""
        if self.finished:
            raise InvalidInput("The game is over: there is no current round.", code="game_over")
        return self.rounds[self.index]

    @property
    def score(self) -> int:
        """Rounds won so far."""
        return sum(r.outcome == "won" for r in self.rounds)

    def rows(self) -> list[dict[str, Any]]:
        """A row per round (the result protocol's ``rows()``): number, word, outcome, the model's
        guess and its score; a round with no guess (nothing drawn) has no score rather than a 0 %
        the model never gave.

        Example:
            >>> g = new_game(["cat", "sun"], now=0.0, seed=0, rounds=2).observe("dog", 0.4, now=1.0)
            >>> [(r["round"], r["outcome"], r["guess"], r["score"]) for r in g.skip(now=2.0).rows()]
            [(1, 'skipped', 'dog', 0.4), (2, 'playing', '', None)]
        """
        return [
            {
                "round": i,
                "target": r.target,
                "outcome": r.outcome,
                "guess": r.guess,
                "score": r.guess_score if r.guess else None,
            }
            for i, r in enumerate(self.rounds, 1)
        ]

    def counts(self) -> dict[str, int]:
        """Rounds ended so far by how they ended (``won``, ``lost``: out of time, ``skipped``)."""
        return {kind: sum(r.outcome == kind for r in self.rounds) for kind in ENDED}

    @property
    def last_ended(self) -> Round | None:
        """The round that ended last (the one before the current), ``None`` before any has."""
        return self.rounds[self.index - 1] if self.index > 0 else None

    def time_left(self, now: float) -> float:
        """Seconds left in the current round (0 when it is over or the game has finished)."""
        if self.finished or self.current.started is None:
            return 0.0
        return max(0.0, self.seconds_per_round - (now - self.current.started))

    def _end_round(self, outcome: Outcome, now: float, **changes: Any) -> Game:
        rounds = list(self.rounds)
        rounds[self.index] = replace(rounds[self.index], outcome=outcome, ended=now, **changes)
        nxt = self.index + 1
        if nxt < len(rounds):
            rounds[nxt] = replace(rounds[nxt], outcome="playing", started=now)
        return replace(self, rounds=tuple(rounds), index=nxt)

    def tick(self, now: float) -> Game:
        """The clock: the current round is lost once its time has run out (several rounds if
        the page slept through them, each from where the previous one ended)."""
        game = self
        while not game.finished and game.current.started is not None:
            deadline = game.current.started + game.seconds_per_round
            if now < deadline:
                break
            game = game._end_round("lost", deadline)
        return game

    def observe(self, guess: str, score: float, now: float, drawing: Any = None) -> Game:
        """The model's top guess for the current drawing: the round is won when it is the word
        asked (and the time has not run out), else the guess is remembered for the summary."""
        game = self.tick(now)
        if game.finished or game is not self:
            return game  # the time ran out before this guess
        if guess == game.current.target:
            return game._end_round("won", now, guess=guess, guess_score=score, drawing=drawing)
        rounds = list(game.rounds)
        rounds[game.index] = replace(rounds[game.index], guess=guess, guess_score=score, drawing=drawing)
        return replace(game, rounds=tuple(rounds))

    def skip(self, now: float) -> Game:
        """Give up the current round: it is ``skipped`` (a student who gives up did not run out of time)."""
        game = self.tick(now)
        return game if game.finished or game is not self else game._end_round("skipped", now)


def new_game(
    labels: Sequence[str],
    *,
    now: float,
    rounds: int = ROUNDS,
    seconds: float = SECONDS,
    seed: int | None = None,
) -> Game:
    """A game of ``rounds`` different words drawn at random from ``labels``; round 1 starts at ``now``.

    Example:
        >>> new_game(["a", "b"], now=0.0, rounds=3)
        Traceback (most recent call last):
        ...
        engine.errors.InvalidInput: A game of 3 rounds needs at least 3 classes; got 2.
    """
    unique = list(dict.fromkeys(labels))
    if rounds < 1:
        raise InvalidInput(f"A game needs at least one round; got {rounds}.", code="bad_rounds")
    if len(unique) < rounds:
        raise InvalidInput(
            f"A game of {rounds} rounds needs at least {rounds} classes; got {len(unique)}.", code="bad_rounds"
        )
    if seconds <= 0:
        raise InvalidInput(f"A round needs a positive time; got {seconds} s.", code="bad_rounds")
    targets = random.Random(seed).sample(unique, rounds)
    first = Round(targets[0], outcome="playing", started=now)
    return Game((first, *(Round(t) for t in targets[1:])), 0, seconds)
