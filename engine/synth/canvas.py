"""A YUV 4:2:0 compositor with dirty rectangles (encode.py writes its frames to H.264).

Everything is drawn once with Pillow into `Surface`s (Y, U, V planes, optional alpha), converted once with
BT.709 limited-range coefficients. `Canvas` stacks `Layer`s (a surface at an even position, optional clip
rectangle and opacity) and recomposes only the rectangles damaged since the last frame, directly into the
I420 buffer that is handed to the encoder. All positions and sizes are even so chroma samples never straddle
two layers. `compose` also says whether any pixel really changed (a damaged rectangle may be repainted the
same), and `visible_box` finds the pixels of a layer that show in the frame (the caret under a popup does not).
"""
from __future__ import annotations

import numpy as np

KR, KB = 0.2126, 0.0722


def rgb_to_yuv(rgb: np.ndarray):
    """HxWx3 uint8 (H, W even) -> Y (H, W), U, V (H/2, W/2), BT.709 limited range."""
    f = rgb.astype(np.float32)
    y = f[..., 0] * KR + f[..., 1] * (1 - KR - KB) + f[..., 2] * KB
    s = (f[0::2, 0::2] + f[1::2, 0::2] + f[0::2, 1::2] + f[1::2, 1::2]) * 0.25
    ys = s[..., 0] * KR + s[..., 1] * (1 - KR - KB) + s[..., 2] * KB
    u = 128 + (s[..., 2] - ys) * (224 / 255 / (2 * (1 - KB)))
    v = 128 + (s[..., 0] - ys) * (224 / 255 / (2 * (1 - KR)))
    q = lambda a: np.clip(a + 0.5, 0, 255).astype(np.uint8)
    return q(16 + y * (219 / 255)), q(u), q(v)


def even(v) -> int:
    return int(round(v / 2.0)) * 2


def planes(buf: np.ndarray, w: int, h: int):
    """Y (h, w), U and V (h/2, w/2) views of an I420 buffer of shape (h * 3 / 2, w) (any even h)."""
    flat = buf.reshape(-1)
    c = (h // 2) * (w // 2)
    return (flat[:h * w].reshape(h, w), flat[h * w:h * w + c].reshape(h // 2, w // 2),
            flat[h * w + c:h * w + 2 * c].reshape(h // 2, w // 2))


class Surface:
    """Y, U, V planes (+ optional alpha a at full and a2 at chroma resolution)."""
    __slots__ = ("y", "u", "v", "a", "a2")

    def __init__(self, y, u, v, a=None, a2=None):
        self.y, self.u, self.v, self.a, self.a2 = y, u, v, a, a2

    @property
    def w(self) -> int:
        return self.y.shape[1]

    @property
    def h(self) -> int:
        return self.y.shape[0]

    @classmethod
    def from_image(cls, im) -> "Surface":
        """A Pillow image (RGB or RGBA, even size) -> Surface."""
        arr = np.asarray(im)
        assert arr.shape[0] % 2 == 0 and arr.shape[1] % 2 == 0, arr.shape
        y, u, v = rgb_to_yuv(arr[..., :3])
        if arr.shape[2] == 4:
            a = np.ascontiguousarray(arr[..., 3])
            if a.min() == 255:
                return cls(y, u, v)
            a2 = ((a[0::2, 0::2].astype(np.uint16) + a[1::2, 0::2] + a[0::2, 1::2] + a[1::2, 1::2] + 2) // 4)
            return cls(y, u, v, a, a2.astype(np.uint8))
        return cls(y, u, v)

    @classmethod
    def solid(cls, w: int, h: int, rgb) -> "Surface":
        px = np.array([[rgb, rgb], [rgb, rgb]], np.uint8)
        y, u, v = rgb_to_yuv(px)
        return cls(np.full((h, w), y[0, 0], np.uint8), np.full((h // 2, w // 2), u[0, 0], np.uint8),
                   np.full((h // 2, w // 2), v[0, 0], np.uint8))

    def fill(self, rgb, x=0, y=0, w=None, h=None) -> None:
        s = Surface.solid(2, 2, rgb)
        w = self.w - x if w is None else w
        h = self.h - y if h is None else h
        self.y[y:y + h, x:x + w] = s.y[0, 0]
        self.u[y // 2:(y + h) // 2, x // 2:(x + w) // 2] = s.u[0, 0]
        self.v[y // 2:(y + h) // 2, x // 2:(x + w) // 2] = s.v[0, 0]

    def paste(self, src: "Surface", x: int, y: int, sx=0, sy=0, w=None, h=None) -> None:
        """Copy (opaque) a region of src into self at (x, y), clipped to self. Even coordinates."""
        w = src.w - sx if w is None else w
        h = src.h - sy if h is None else h
        x0, y0, x1, y1 = max(x, 0), max(y, 0), min(x + w, self.w), min(y + h, self.h)
        if x1 <= x0 or y1 <= y0:
            return
        ox, oy = sx + x0 - x, sy + y0 - y
        self.y[y0:y1, x0:x1] = src.y[oy:oy + y1 - y0, ox:ox + x1 - x0]
        cy, cx = slice(y0 // 2, y1 // 2), slice(x0 // 2, x1 // 2)
        self.u[cy, cx] = src.u[oy // 2:(oy + y1 - y0) // 2, ox // 2:(ox + x1 - x0) // 2]
        self.v[cy, cx] = src.v[oy // 2:(oy + y1 - y0) // 2, ox // 2:(ox + x1 - x0) // 2]


def _blend(dst, src, a, opacity):
    if a is None and opacity >= 1.0:
        dst[...] = src
        return
    if a is None:
        a = np.full(src.shape, int(round(255 * opacity)), np.uint16)
    else:
        a = a.astype(np.uint16)
        if opacity < 1.0:
            a = (a * int(round(256 * opacity))) >> 8
    dst[...] = ((src.astype(np.uint16) * a + dst.astype(np.uint16) * (255 - a) + 127) // 255).astype(np.uint8)


def _overlap(rect, layer) -> tuple | None:
    """(x0, y0, x1, y1) where rect meets the layer's visible rectangle, or None."""
    lr = layer.rect()
    if lr is None:
        return None
    x0, y0, x1, y1 = max(rect[0], lr[0]), max(rect[1], lr[1]), min(rect[2], lr[2]), min(rect[3], lr[3])
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


class Layer:
    """A surface placed at (x, y) on the canvas, optionally clipped to a frame rectangle (x, y, w, h)."""

    def __init__(self, name: str, surf: Surface, x: int = 0, y: int = 0, z: int = 0, visible: bool = True,
                 opacity: float = 1.0, clip=None):
        self.name, self.surf, self.x, self.y, self.z = name, surf, x, y, z
        self.visible, self.opacity, self.clip = visible, opacity, clip

    def rect(self):
        """Visible rectangle (x0, y0, x1, y1) in frame pixels, or None."""
        if not self.visible or self.opacity <= 0:
            return None
        x0, y0, x1, y1 = self.x, self.y, self.x + self.surf.w, self.y + self.surf.h
        if self.clip is not None:
            cx, cy, cw, ch = self.clip
            x0, y0, x1, y1 = max(x0, cx), max(y0, cy), min(x1, cx + cw), min(y1, cy + ch)
        return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


class Canvas:
    def __init__(self, w: int, h: int):
        self.w, self.h = w, h
        self.buf = np.zeros((h * 3 // 2, w), np.uint8)
        self.Y, self.U, self.V = planes(self.buf, w, h)
        self.layers: list[Layer] = []
        self.dirty: list[tuple] = []
        self.changed = False

    # ------------------------------------------------------------------ scene changes
    def add(self, layer: Layer) -> Layer:
        k = 0
        while k < len(self.layers) and self.layers[k].z <= layer.z:
            k += 1
        self.layers.insert(k, layer)
        self._damage_rect(layer.rect())
        return layer

    def remove(self, layer: Layer) -> None:
        if layer in self.layers:
            self._damage_rect(layer.rect())
            self.layers.remove(layer)

    def update(self, layer: Layer, **kw) -> None:
        """Change x, y, surf, visible, opacity or clip of a layer; damages its old and new rectangles."""
        if all(getattr(layer, k) is v or getattr(layer, k) == v for k, v in kw.items() if k != "surf") \
                and kw.get("surf", layer.surf) is layer.surf:
            return
        self._damage_rect(layer.rect())
        for k, v in kw.items():
            setattr(layer, k, v)
        self._damage_rect(layer.rect())

    def damage_layer(self, layer: Layer, x: int = 0, y: int = 0, w=None, h=None) -> None:
        """Content of layer changed in its local rectangle (x, y, w, h)."""
        r = layer.rect()
        if r is None:
            return
        w = layer.surf.w - x if w is None else w
        h = layer.surf.h - y if h is None else h
        x0, y0 = layer.x + x, layer.y + y
        self._damage_rect((max(x0, r[0]), max(y0, r[1]), min(x0 + w, r[2]), min(y0 + h, r[3])))

    def _damage_rect(self, r) -> None:
        if r is None:
            return
        x0, y0 = max(0, r[0] & ~1), max(0, r[1] & ~1)
        x1, y1 = min(self.w, r[2] + (r[2] & 1)), min(self.h, r[3] + (r[3] & 1))
        if x1 > x0 and y1 > y0:
            self.dirty.append((x0, y0, x1, y1))

    # ------------------------------------------------------------------ compose
    @staticmethod
    def _merge(rects):
        rects = list(rects)
        changed = True
        while changed and len(rects) > 1:
            changed = False
            out = []
            for r in rects:
                for k, o in enumerate(out):
                    if r[0] <= o[2] + 16 and o[0] <= r[2] + 16 and r[1] <= o[3] + 16 and o[1] <= r[3] + 16:
                        out[k] = (min(r[0], o[0]), min(r[1], o[1]), max(r[2], o[2]), max(r[3], o[3]))
                        changed = True
                        break
                else:
                    out.append(r)
            rects = out
        return rects

    def compose(self) -> list:
        """Repaint the damaged rectangles; returns them (empty: the frame did not change). Sets `changed`:
        whether any pixel of the frame differs from before."""
        rects = self._merge(self.dirty)
        self.dirty = []
        self.changed = False
        for (x0, y0, x1, y1) in rects:
            before = (self.Y[y0:y1, x0:x1].copy(), self.U[y0 // 2:y1 // 2, x0 // 2:x1 // 2].copy(),
                      self.V[y0 // 2:y1 // 2, x0 // 2:x1 // 2].copy())
            for L in self.layers:
                over = _overlap((x0, y0, x1, y1), L)
                if over is None:
                    continue
                ax0, ay0, ax1, ay1 = over
                s = L.surf
                sx, sy = ax0 - L.x, ay0 - L.y
                w, h = ax1 - ax0, ay1 - ay0
                a = None if s.a is None else s.a[sy:sy + h, sx:sx + w]
                _blend(self.Y[ay0:ay1, ax0:ax1], s.y[sy:sy + h, sx:sx + w], a, L.opacity)
                cs = (slice(sy // 2, (sy + h) // 2), slice(sx // 2, (sx + w) // 2))
                cd = (slice(ay0 // 2, ay1 // 2), slice(ax0 // 2, ax1 // 2))
                a2 = None if s.a2 is None else s.a2[cs]
                _blend(self.U[cd], s.u[cs], a2, L.opacity)
                _blend(self.V[cd], s.v[cs], a2, L.opacity)
            if not self.changed:
                self.changed = not (np.array_equal(before[0], self.Y[y0:y1, x0:x1])
                                    and np.array_equal(before[1], self.U[y0 // 2:y1 // 2, x0 // 2:x1 // 2])
                                    and np.array_equal(before[2], self.V[y0 // 2:y1 // 2, x0 // 2:x1 // 2]))
        return rects

    def visible_box(self, layer: Layer, share: float = 0.5):
        """[x, y, w, h] of the layer's pixels that show in the frame: its own alpha times opacity, times what
        every layer above lets through, at least `share`; None when nothing shows."""
        r = layer.rect()
        if r is None or layer not in self.layers:
            return None
        x0, y0, x1, y1 = max(r[0], 0), max(r[1], 0), min(r[2], self.w), min(r[3], self.h)
        if x1 <= x0 or y1 <= y0:
            return None
        s = layer.surf
        vis = np.full((y1 - y0, x1 - x0), layer.opacity, np.float32)
        if s.a is not None:
            vis *= s.a[y0 - layer.y:y1 - layer.y, x0 - layer.x:x1 - layer.x] / 255.0
        for L in self.layers[self.layers.index(layer) + 1:]:
            over = _overlap((x0, y0, x1, y1), L)
            if over is None:
                continue
            ax0, ay0, ax1, ay1 = over
            a = L.opacity if L.surf.a is None else \
                L.surf.a[ay0 - L.y:ay1 - L.y, ax0 - L.x:ax1 - L.x] * (L.opacity / 255.0)
            vis[ay0 - y0:ay1 - y0, ax0 - x0:ax1 - x0] *= 1.0 - a
        ys, xs = np.nonzero(vis >= share)
        if not len(xs):
            return None
        return [x0 + int(xs.min()), y0 + int(ys.min()), int(xs.max() - xs.min()) + 1, int(ys.max() - ys.min()) + 1]
