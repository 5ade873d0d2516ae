"""The wheel, installed outside the checkout, runs the main job, an export and the template (make
test-wheel; CI runs it after make test), as on a Chinese Windows (simulated: tests/windows_sim, GBK output). The rules, the samples and the division lists must be inside it.

Built with pip (`pip wheel --no-deps`, hatchling from the package index or pip's cache), installed without
its dependencies into a fresh venv in a temporary folder, which reaches the dependencies through a .pth
line to this venv's site-packages (no download of pandas and pyarrow again; that folder's own .pth files,
kuaidi's editable install among them, are not read). The test asserts kuaidi runs from the fresh venv.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.wheel


def test_the_wheel_works_outside_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "-w", str(dist), str(ROOT)], check=True, cwd=tmp_path)
    wheel = next(dist.glob("kuaidi_cli-*.whl"))
    import zipfile

    assert "kuaidi_cli/py.typed" in zipfile.ZipFile(wheel).namelist()  # (mypy reads the types of the installed package)
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--no-index", str(wheel)], check=True, cwd=tmp_path)
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    work = tmp_path / "某县 工作"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "KUAIDI_LANG")}
    # as on a Chinese Windows (tests/windows_sim: only its sitecustomize is on the path, not the checkout)
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), PYTHONPATH=str(ROOT / "tests" / "windows_sim"),
               PYTHONIOENCODING="gbk")
    kuaidi = env_dir / ("Scripts/kuaidi.exe" if os.name == "nt" else "bin/kuaidi")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(kuaidi), *args], capture_output=True, encoding="gbk", cwd=work, env=env, timeout=120)

    where = subprocess.run([python, "-c", "import kuaidi_cli, fcntl"], capture_output=True, text=True, cwd=work,
                           env=env).stderr
    assert "ModuleNotFoundError: import of fcntl halted" in where  # (the simulation is on)
    where = subprocess.run([python, "-c", "import kuaidi_cli; print(kuaidi_cli.__file__)"], capture_output=True,
                           text=True, check=True, cwd=work, env=env).stdout
    assert where.startswith(str(env_dir)), where
    api = subprocess.run([python, "-c", "import kuaidi_cli as k, pathlib; s = pathlib.Path(k.__file__).parent / "
                          "'samples'; r = k.report(s / 'villages.csv', s / 'outlets.csv', as_of='2021-12-31'); "
                          "print(len(r.counties_frame()))"], capture_output=True, text=True, cwd=work, env=env)
    assert api.stdout.strip() == "5", api.stderr  # the API of the installed package, on its bundled samples
    report = subprocess.run([str(kuaidi), "report", "--samples", "--as-of", "2021-12-31", "--format", "json"],
                            capture_output=True, cwd=work, env=env, timeout=120)
    assert report.returncode == 0, report.stderr.decode("gbk")
    figures = json.loads(report.stdout)  # (JSON is UTF-8 whatever the console: RFC 8259)
    assert figures["samples"] is True and figures["as_of"] == "2021-12-31"
    export = run("export", "--samples", "--out", "报表", "--as-of", "2021-12-31", "--formats", "xlsx,json", "--quiet")
    assert export.returncode == 0, export.stderr
    assert sorted(p.name for p in (work / "报表").glob("kuaidi-report-*")) == [
        "kuaidi-report-2021-12-31.json", "kuaidi-report-2021-12-31.xlsx"]
    template = run("template", "-o", "台账模板.xlsx", "--county", "祥符区")
    assert template.returncode == 0, template.stderr
    assert template.stdout.strip() == "台账模板.xlsx：336 个行政村"
    check = run("check", str(work / "台账模板.xlsx"))
    assert check.returncode == 0, check.stdout + check.stderr  # (an unfilled template checks clean)
