"""engine.accel.fastcpu: oneDNN-packed Linear/Conv2d layers give the same numbers, and undo cleanly."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from engine.accel import fastcpu  # noqa: E402
from engine.accel.fastcpu import outputs_match, pack_checked  # noqa: E402

needs_onednn = pytest.mark.skipif(not fastcpu.available(), reason="this torch has no oneDNN packed kernels")


class Net(torch.nn.Module):
    """Every case the packer must handle: strided, dilated, grouped and bias-free convs, a 3-D
    linear input, a layer used twice, a layer never reached, and two it must leave alone."""

    def __init__(self) -> None:
        super().__init__()
        self.stem = torch.nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.depthwise = torch.nn.Conv2d(8, 8, 3, padding=2, dilation=2, groups=8, bias=False)
        self.same = torch.nn.Conv2d(8, 8, 3, padding="same")  # 1 pixel each side
        self.uneven = torch.nn.Conv2d(8, 8, 2, padding="same")  # PyTorch pads one side more: left alone
        self.shared = torch.nn.Linear(8, 8)
        self.custom = type("MyLinear", (torch.nn.Linear,), {})(8, 4)  # a subclass may do more: left alone
        self.unused = torch.nn.Linear(4, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.uneven(self.same(torch.relu(self.depthwise(self.stem(x)))))
        tokens = x.flatten(2).transpose(1, 2)  # (batch, tokens, channels)
        return self.custom(self.shared(self.shared(tokens)))


@pytest.fixture
def net() -> Net:
    torch.manual_seed(0)
    return Net().eval()


def _run(model: torch.nn.Module, x: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode():
        return model(x)


@needs_onednn
def test_pack_replaces_what_it_can_and_keeps_the_outputs(net: Net) -> None:
    x = torch.randn(2, 3, 20, 24)
    expected = _run(net, x)
    counts = fastcpu.pack(net, lambda: net(x))
    assert counts == {"linear": 1, "conv": 3}
    assert isinstance(net.stem, fastcpu.PackedConv2d) and isinstance(net.depthwise, fastcpu.PackedConv2d)
    assert (
        isinstance(net.shared, fastcpu.PackedLinear) and net.shared.rows == 2 * 10 * 12
    )  # batch × tokens of a 20×24 input at stride 2
    assert isinstance(net.same, fastcpu.PackedConv2d) and net.same.padding == [1, 1]
    assert type(net.uneven) is torch.nn.Conv2d and type(net.unused) is torch.nn.Linear
    assert type(net.custom).__name__ == "MyLinear"
    assert torch.allclose(_run(net, x), expected, atol=1e-5)
    # other input sizes and batch sizes than the one it was packed for
    for shape in [(1, 3, 9, 13), (3, 3, 32, 32)]:
        other = torch.randn(*shape)
        fastcpu.unpack(net)
        plain = _run(net, other)
        fastcpu.pack(net, lambda: net(x))
        assert torch.allclose(_run(net, other), plain, atol=1e-5), shape


@needs_onednn
def test_packed_models_hold_no_view_of_a_mapped_weights_file(net: Net, tmp_path) -> None:
    """A tensor left viewing a memory-mapped weights file (transformers maps safetensors) would keep
    the whole file resident next to the packed copies: those tensors get memory of their own."""
    torch.save(net.state_dict(), tmp_path / "weights.pt")
    net.load_state_dict(torch.load(tmp_path / "weights.pt", mmap=True, weights_only=True), assign=True)

    def in_file(t: torch.Tensor) -> bool:
        return any(lo <= t.untyped_storage().data_ptr() < hi for lo, hi in fastcpu._mapped_ranges())

    assert in_file(net.shared.bias) and in_file(net.uneven.weight)  # the setup maps them
    values = {k: v.clone() for k, v in net.state_dict().items()}
    x = torch.randn(1, 3, 16, 16)
    expected = _run(net, x)
    fastcpu.pack(net, lambda: net(x))
    kept = {k: v for k, v in net.state_dict().items() if not v.is_mkldnn}
    assert {"shared.bias", "uneven.weight", "unused.weight", "custom.bias"} <= set(kept)
    for key, value in kept.items():
        assert not in_file(value), key
        assert torch.equal(value, values[key]), key
    assert torch.allclose(_run(net, x), expected, atol=1e-5)


def test_tensors_in_the_process_memory_are_not_copied(net: Net) -> None:
    pointers = {k: v.data_ptr() for k, v in net.state_dict().items()}
    assert fastcpu.own_memory(net) == 0
    assert {k: v.data_ptr() for k, v in net.state_dict().items()} == pointers


@needs_onednn
def test_unpack_gives_back_the_exact_weights(net: Net) -> None:
    original = {k: v.clone() for k, v in net.state_dict().items()}
    x = torch.randn(1, 3, 16, 16)
    fastcpu.pack(net, lambda: net(x))
    assert fastcpu.packed_layers(net) == 4
    assert fastcpu.unpack(net) == 4
    assert fastcpu.packed_layers(net) == 0
    restored = net.state_dict()
    assert restored.keys() == original.keys()
    for key, value in original.items():
        assert torch.equal(restored[key], value), key


@needs_onednn
def test_pack_checked_undoes_the_packing_when_the_outputs_differ(net: Net, monkeypatch) -> None:
    x = torch.randn(1, 3, 16, 16)
    expected = _run(net, x)
    forward = fastcpu.PackedLinear.forward
    monkeypatch.setattr(fastcpu.PackedLinear, "forward", lambda self, v: forward(self, v) + 1.0)  # a broken kernel
    assert pack_checked(net, lambda m: m(x), lambda out: out) == []
    assert fastcpu.packed_layers(net) == 0
    assert torch.allclose(_run(net, x), expected, atol=1e-6)


@needs_onednn
def test_pack_checked_stays_plain_when_onednn_raises(net: Net, monkeypatch) -> None:
    x = torch.randn(1, 3, 16, 16)
    expected = _run(net, x)

    def refuse(self, v):
        raise RuntimeError("could not create a primitive")  # what oneDNN says on an unsupported CPU

    monkeypatch.setattr(fastcpu.PackedConv2d, "forward", refuse)
    assert pack_checked(net, lambda m: m(x), lambda out: out) == []
    assert fastcpu.packed_layers(net) == 0
    assert torch.allclose(_run(net, x), expected, atol=1e-6)


@needs_onednn
def test_pack_checked_says_what_it_packed(net: Net) -> None:
    x = torch.randn(1, 3, 16, 16)
    assert pack_checked(net, lambda m: m(x), lambda out: out) == ["onednn_linear:1", "onednn_conv:3"]


def test_packing_can_be_turned_off(net: Net, monkeypatch) -> None:
    monkeypatch.setenv(fastcpu.ENV, "0")
    assert not fastcpu.available()
    x = torch.randn(1, 3, 16, 16)
    assert fastcpu.pack(net, lambda: net(x)) == {"linear": 0, "conv": 0}
    assert pack_checked(net, lambda m: m(x), lambda out: out) == []


@needs_onednn
def test_the_flop_counter_counts_packed_layers_like_plain_ones(net: Net) -> None:
    from bench.run import count_flops

    x = torch.randn(2, 3, 20, 24)
    plain = count_flops(lambda: _run(net, x))
    fastcpu.pack(net, lambda: net(x))
    assert fastcpu.packed_layers(net) == 4
    assert plain > 0
    assert count_flops(lambda: _run(net, x)) == plain


@pytest.mark.parametrize(
    ("conv", "expected"),
    [
        (dict(kernel_size=3, padding=2), [2, 2]),
        (dict(kernel_size=3, padding="valid"), [0, 0]),
        (dict(kernel_size=(3, 5), padding="same"), [1, 2]),
        (dict(kernel_size=3, padding="same", dilation=2), [2, 2]),
        (dict(kernel_size=(2, 3), padding="same"), None),  # uneven: PyTorch pads the bottom one more
    ],
)
def test_conv_padding_as_numbers(conv: dict, expected) -> None:
    assert fastcpu.conv_padding(torch.nn.Conv2d(2, 2, **conv)) == expected


@pytest.mark.parametrize(
    ("got", "expected", "match"),
    [
        (torch.ones(3), torch.ones(3) + 1e-6, True),
        (torch.ones(3), torch.ones(3) * 1.01, False),
        (torch.ones(3), torch.ones(4), False),
        ((torch.ones(2), torch.zeros(2)), (torch.ones(2), torch.zeros(2)), True),
        ((torch.ones(2),), (torch.ones(2), torch.zeros(2)), False),
        (torch.ones(2), (torch.ones(2),), False),
        (torch.zeros(0), torch.zeros(0), True),
        ({"a": torch.ones(2), "n": 3}, {"a": torch.ones(2), "n": 3}, True),
        ({"a": torch.ones(2)}, {"b": torch.ones(2)}, False),
        ({"a": torch.ones(2), "n": 3}, {"a": torch.ones(2), "n": 4}, False),
        (None, torch.ones(2), False),
    ],
)
def test_outputs_match(got, expected, match: bool) -> None:
    assert outputs_match(got, expected) is match


@needs_onednn
@pytest.mark.parametrize(
    ("plain_s", "packed_s", "kept"),
    [
        (0.010, 0.008, True),  # faster on this CPU: packed
        (0.010, 0.0099, False),  # within 3 %: noise, stays plain
        (0.010, 0.0108, False),  # slower (the sketch CNN on an Intel Xeon): stays plain
        (None, 0.5, True),  # a forward too slow to time at load: the equality check decides
    ],
    ids=["faster", "noise", "slower", "too-slow-to-time"],
)
def test_packing_is_kept_where_it_measured_faster_on_this_cpu(
    net: Net, monkeypatch, plain_s: float | None, packed_s: float, kept: bool
) -> None:
    monkeypatch.setenv(fastcpu.ENV, "1")  # the default: timed (the suite runs with "force")
    times = iter([plain_s, packed_s])
    monkeypatch.setattr(fastcpu, "_best_time", lambda call, runs=3, give_up_over=None: (call(), next(times))[1])
    x = torch.randn(1, 3, 16, 16)
    with torch.inference_mode():
        before = net(x)
    applied = pack_checked(net, lambda m: m(x), lambda out: out)
    assert (applied == ["onednn_linear:1", "onednn_conv:3"]) is kept
    assert fastcpu.packed_layers(net) == (4 if kept else 0)
    assert outputs_match(_run(net, x), before)


def test_a_short_forward_is_timed_and_a_long_one_is_not() -> None:
    calls: list[int] = []
    assert fastcpu._best_time(lambda: calls.append(1), runs=3) >= 0 and len(calls) == 4  # a first, then 3 timed
    calls.clear()
    import time

    assert fastcpu._best_time(lambda: calls.append(time.sleep(0.02)), give_up_over=0.001) is None
    assert len(calls) == 1  # given up after the first
