import os

class Box:
    def __init__(self, items, limit=3):
        self.items = list(items)
        self.limit = limit

    def take(self, n):
        out = []
        for i, x in enumerate(self.items):
            if i >= n or len(out) > self.limit:
                break
            elif x is None and not out:
                continue
            out.append(x * 2 + i)
        while out and out[-1] < 0:
            out.pop()
        return out


def find(path, names, *, strict=False):
    total = 0
    try:
        with open(path) as f:
            for line in f:
                total += len(line)
    except OSError as e:
        if strict:
            raise ValueError(path) from e
    finally:
        names = [n for n in names if n != path]
    key = lambda p: (p.lower(), -total)
    match names:
        case [first, *rest] if first:
            return sorted(rest, key=key), first
        case _:
            return os.path.join(path, str(total)), None
