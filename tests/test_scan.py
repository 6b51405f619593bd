"""helpers.scan: the SCAN grammar, its interpretation function, the splits and the checksums."""

from collections import Counter

import pytest

from helpers import scan


@pytest.fixture(scope="module")
def pairs():
    return scan.all_pairs()


def test_the_corpus_has_the_papers_size(pairs):
    commands = [p.command for p in pairs]
    assert len(commands) == 20_910
    assert len(set(commands)) == 20_910
    assert commands == sorted(commands)  # the canonical order


def test_longest_command_and_action_sequence(pairs):
    assert max(len(p.command.split()) for p in pairs) == 9
    assert max(p.n_actions for p in pairs) == 48
    longest = [p.command for p in pairs if p.n_actions == 48]
    assert "walk around left thrice after jump around right thrice" in longest
    assert min(p.n_actions for p in pairs) == 1
    assert Counter(p.n_actions for p in pairs)[23] == 0  # why the length split has no 23


def test_words_and_actions(pairs):
    words = {w for p in pairs for w in p.command.split()}
    assert words == {"walk", "look", "run", "jump", "turn", "left", "right", "opposite",
                     "around", "twice", "thrice", "and", "after"}
    assert {a for p in pairs for a in p.actions.split()} == set(scan.ACTIONS)


@pytest.mark.parametrize("command, actions", [
    # U: the four primitives; turn on its own is not a command
    ("walk", "I_WALK"), ("look", "I_LOOK"), ("run", "I_RUN"), ("jump", "I_JUMP"),
    # D: u left/right, turn left/right
    ("jump left", "I_TURN_LEFT I_JUMP"),
    ("run right", "I_TURN_RIGHT I_RUN"),
    ("turn left", "I_TURN_LEFT"),
    ("turn right", "I_TURN_RIGHT"),
    # V: opposite and around
    ("walk opposite left", "I_TURN_LEFT I_TURN_LEFT I_WALK"),
    ("turn opposite right", "I_TURN_RIGHT I_TURN_RIGHT"),
    ("jump around right", "I_TURN_RIGHT I_JUMP I_TURN_RIGHT I_JUMP I_TURN_RIGHT I_JUMP "
                          "I_TURN_RIGHT I_JUMP"),
    ("turn around left", "I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT I_TURN_LEFT"),
    # S: twice and thrice
    ("turn left twice", "I_TURN_LEFT I_TURN_LEFT"),
    ("jump thrice", "I_JUMP I_JUMP I_JUMP"),
    ("look opposite right twice", "I_TURN_RIGHT I_TURN_RIGHT I_LOOK I_TURN_RIGHT I_TURN_RIGHT I_LOOK"),
    # C: and keeps the order, after swaps it
    ("walk and jump", "I_WALK I_JUMP"),
    ("walk after jump", "I_JUMP I_WALK"),
    ("jump twice after walk left", "I_TURN_LEFT I_WALK I_JUMP I_JUMP"),
    ("jump opposite left and walk thrice", "I_TURN_LEFT I_TURN_LEFT I_JUMP I_WALK I_WALK I_WALK"),
    # examples as printed in the SCAN release (brendenlake/SCAN README and files)
    ("jump opposite left after walk around left",
     "I_TURN_LEFT I_WALK I_TURN_LEFT I_WALK I_TURN_LEFT I_WALK I_TURN_LEFT I_WALK "
     "I_TURN_LEFT I_TURN_LEFT I_JUMP"),
    ("turn left after turn opposite right twice",
     "I_TURN_RIGHT I_TURN_RIGHT I_TURN_RIGHT I_TURN_RIGHT I_TURN_LEFT"),
    ("run around left twice after turn left",
     "I_TURN_LEFT I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN "
     "I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN I_TURN_LEFT I_RUN"),
])
def test_hand_checked_examples(command, actions, pairs):
    assert scan.interpret(command) == actions
    assert scan.ScanPair(command, actions) in pairs


def test_the_grammar_counts(pairs):
    # 4 U, 10 D, 34 V, 102 S; a command is one S, or two joined by "and" or "after".
    words = [p.command.split() for p in pairs]
    assert sum("and" in w for w in words) == sum("after" in w for w in words) == 102 * 102
    single = [w for w in words if "and" not in w and "after" not in w]
    assert len(single) == 102
    assert sum("twice" not in w and "thrice" not in w for w in single) == 34
    # 30 sentences use "around" (10 verb phrases x 3); a pair uses it unless neither side does
    assert sum("around" in w for w in words) == 30 + 2 * (102**2 - 72**2)


@pytest.mark.parametrize("command", ["turn", "jump jump", "walk around", "twice", "walk and",
                                     "walk and run and look", "walk after run and look",
                                     "walk left twice thrice", "Walk", "fly", "walk up",
                                     "turn opposite", "around left"])
def test_commands_outside_the_grammar_are_refused(command):
    with pytest.raises(ValueError, match="not SCAN"):
        scan.interpret(command)


def test_bad_interpret_input():
    with pytest.raises(TypeError, match="command"):
        scan.interpret(["walk"])
    with pytest.raises(ValueError, match="empty"):
        scan.interpret("   ")


@pytest.mark.parametrize("name", scan.SPLITS)
def test_split_sizes_and_checksums(name, pairs):
    train, test = scan.split(name)
    assert (len(train), len(test)) == scan.SPLIT_SIZES[name]
    assert (scan.checksum(train), scan.checksum(test)) == scan.SPLIT_CHECKSUMS[name]
    assert {p.command for p in train}.isdisjoint(p.command for p in test)
    assert sorted(train + test, key=lambda p: p.command) == pairs


def test_the_papers_split_sizes():
    assert scan.SPLIT_SIZES == {"simple": (16_728, 4_182), "length": (16_990, 3_920),
                                "jump": (13_204, 7_706)}


def test_length_split_rule():
    train, test = scan.split("length")
    assert max(p.n_actions for p in train) == scan.LENGTH_TRAIN_MAX == 22
    assert min(p.n_actions for p in test) == scan.LENGTH_TEST_MIN == 24


def test_jump_split_rule():
    train, test = scan.split("jump")
    with_jump = [p.command for p in train if "jump" in p.command.split()]
    assert with_jump == ["jump"]
    assert all("jump" in p.command.split() and p.command != "jump" for p in test)


def test_simple_split_is_seeded():
    assert scan.split("simple") == scan.split("simple", seed=scan.SIMPLE_SEED)
    other_train, other_test = scan.split("simple", seed=1)
    assert len(other_test) == 4_182
    assert other_test != scan.split("simple")[1]
    assert scan.split("length", seed=5) == scan.split("length")  # seed only moves "simple"


def test_corpus_checksum_and_text_form(pairs):
    assert scan.checksum(pairs) == scan.CHECKSUM
    text = scan.to_text(pairs[:2])
    assert text == (f"IN: {pairs[0].command} OUT: {pairs[0].actions}\n"
                    f"IN: {pairs[1].command} OUT: {pairs[1].actions}\n")
    assert scan.to_text([]) == ""
    assert scan.all_pairs() is not scan.all_pairs()  # a fresh list: callers may change it


def test_pair_length():
    assert scan.ScanPair("jump twice", "I_JUMP I_JUMP").n_actions == 2


def test_bad_split_and_text_input(pairs):
    with pytest.raises(ValueError, match="name"):
        scan.split("addprim_turn_left")
    with pytest.raises(TypeError, match="seed"):
        scan.split("simple", seed=0.5)
    with pytest.raises(ValueError, match="seed"):
        scan.split("simple", seed=-1)
    with pytest.raises(TypeError, match="pairs"):
        scan.to_text("IN: walk OUT: I_WALK")
    with pytest.raises(TypeError, match=r"pairs\[0\]"):
        scan.checksum([("walk", "I_WALK")])
