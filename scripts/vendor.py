"""The JavaScript that the HTML course and the slides need, pinned and kept on disk.

``make html`` and ``make slides`` must work when the pages are opened from disk with no
network, so nothing may load from a CDN. The four packages below come from the npm
registry once, as exact versions checked against the registry's SHA-512 integrity, and
are unpacked into ``build/vendor/``; the site and the slides get a copy.

- MathJax 2.7.7 (Apache-2.0): typesets the equations; the version nbconvert's templates
  are written for.
- reveal.js 4.0.2 (MIT): the slide framework nbconvert's slides template expects.
- RequireJS 2.1.10 (MIT/BSD) and jQuery 3.7.1 (MIT): loaders the slides template uses.
"""

from __future__ import annotations

import base64
import hashlib
import io
import shutil
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "build" / "vendor"
REGISTRY = "https://registry.npmjs.org"


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the npm registry's "sha512-<base64>" of the tarball
    keep: tuple[str, ...]  # path prefixes inside the package to unpack
    drop: tuple[str, ...] = ()  # and prefixes or suffixes among those to leave out

    @property
    def url(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.split('/')[-1]}-{self.version}.tgz"


PACKAGES = {
    "mathjax": Package(
        "mathjax", "2.7.7",
        "sha512-OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
        keep=("MathJax.js", "LICENSE", "config/", "extensions/", "jax/", "localization/en/",
              "fonts/HTML-CSS/TeX/woff/"),
        drop=("jax/output/SVG/fonts/", "jax/output/HTML-CSS/fonts/STIX", "jax/output/HTML-CSS/fonts/Asana",
              "jax/output/HTML-CSS/fonts/Gyre", "jax/output/HTML-CSS/fonts/Latin",
              "jax/output/HTML-CSS/fonts/Neo", "jax/output/CommonHTML/fonts/STIX")),
    "reveal.js": Package(
        "reveal.js", "4.0.2",
        "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
        keep=("dist/", "plugin/notes/", "LICENSE"), drop=(".map", ".esm.js")),
    "requirejs": Package(
        "requirejs", "2.1.10",
        "sha512-4JqdTihK3kOnT387LxCHuJZ/9QsKg2EIl7LmaW35PIyM4LwCI2jwyy4fy6pbY/ZZH2JoY/QEcb5PzULFPP6gcQ==",
        keep=("require.js", "README.md")),
    "jquery": Package(
        "jquery", "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        keep=("dist/jquery.min.js", "LICENSE.txt")),
}


def integrity(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _download(package: Package, cache: Path) -> bytes:
    tarball = cache / f"{package.name}-{package.version}.tgz"
    if tarball.is_file() and integrity(tarball.read_bytes()) == package.integrity:
        return tarball.read_bytes()
    print(f"downloading {package.name} {package.version} from the npm registry ...", flush=True)
    with urllib.request.urlopen(package.url, timeout=120) as response:  # noqa: S310 - fixed https URL
        data = response.read()
    if integrity(data) != package.integrity:
        raise RuntimeError(f"{package.url}: SHA-512 differs from the pinned integrity; not using it")
    cache.mkdir(parents=True, exist_ok=True)
    tarball.write_bytes(data)
    return data


def _wanted(package: Package, path: str) -> bool:
    return any(path.startswith(k) for k in package.keep) and not any(
        path.startswith(d) or path.endswith(d) for d in package.drop)


def ensure(name: str, vendor: Path = VENDOR) -> Path:
    """Unpack the pinned package ``name`` under ``vendor`` (downloading it once); its folder."""
    if name not in PACKAGES:
        raise ValueError(f"name must be one of {sorted(PACKAGES)}, got {name!r}")
    package = PACKAGES[name]
    target = vendor / name
    stamp = target / ".integrity"
    if stamp.is_file() and stamp.read_text() == package.integrity:
        return target
    data = _download(package, vendor / "downloads")
    shutil.rmtree(target, ignore_errors=True)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            path = member.name.split("/", 1)[1] if "/" in member.name else member.name
            if member.isfile() and _wanted(package, path):
                member.name = path
                archive.extract(member, target, filter="data")
    stamp.write_text(package.integrity)
    return target


def copy_into(name: str, destination: Path, vendor: Path = VENDOR) -> Path:
    """Copy the unpacked package ``name`` to ``destination`` (replacing it); returns it."""
    source = ensure(name, vendor)
    shutil.rmtree(destination, ignore_errors=True)
    shutil.copytree(source, destination, ignore=shutil.ignore_patterns(".integrity"))
    return destination


if __name__ == "__main__":
    for package_name in PACKAGES:
        folder = ensure(package_name)
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        print(f"{package_name} {PACKAGES[package_name].version}: {size / 2**20:.1f} MiB in {folder}")
