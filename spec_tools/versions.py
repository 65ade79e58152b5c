"""Package versions from spec versions.

A spec's `info.version` is the vendor API version plus a curation counter, `X.Y.Z+curated.N`.
`+curated.N` is a PEP 440 *local* version label, which package indexes refuse on upload, so the
generated package carries a public version derived from it by one rule:

    X.Y.Z+curated.N  ->  X.Y.Z.postN      (2.0.0+curated.1 -> 2.0.0.post1)
    X.Y.Z            ->  X.Y.Z            (a spec version that is already a public PEP 440 version)

Anything else (another local label, a version PEP 440 cannot parse) is refused. The order of the
derived versions follows the order of the spec versions: a later curation of the same API version
is a later post-release, and a new API version sorts after every curation of the previous one.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

_CURATED = re.compile(r"^(?P<base>[^+]+)\+curated\.(?P<n>[0-9]+)$")


def package_version(spec_version: str) -> str:
    """The PEP 440 public version of the package generated from a spec with this `info.version`."""
    match = _CURATED.match(spec_version)
    base, post = (match["base"], int(match["n"])) if match else (spec_version, None)
    try:
        parsed = Version(base)
    except InvalidVersion as exc:
        raise ValueError(f"spec version {spec_version!r} is not X.Y.Z or X.Y.Z+curated.N") from exc
    if parsed.local is not None or parsed.post is not None:
        raise ValueError(
            f"spec version {spec_version!r}: only a '+curated.N' suffix is mapped (to .postN)"
        )
    return str(Version(f"{parsed.public}.post{post}")) if post is not None else str(parsed)


def spec_major(spec_version: str) -> int:
    """The major version of a spec version (`2` for `2.0.0+curated.1`)."""
    return Version(spec_version).major
