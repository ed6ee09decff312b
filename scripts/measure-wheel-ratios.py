#!/usr/bin/env python3
"""Measures how much bigger a Python package is installed than as a wheel (a deflate zip).

PyPI is not reachable from our machines, so wheel sizes come from cited public pages and the installed size
is wheel bytes x a ratio measured here, on real files:
  * real wheels found on this machine (pip and setuptools as bundled with CPython): installed into a fresh
    venv with pip (which unpacks the files and compiles .pyc), then the installed files are summed;
  * Debian bookworm's python3-* packages of the heavy libraries (apt-get download): their
    /usr/lib/python3/dist-packages files are zipped with deflate (level 6, as wheel builders do) to stand in
    for the wheel, and compiled with this interpreter (what pip does at install) to get the installed size.
Prints JSON: {name: {wheelBytes, installedBytes, ratio, what}}.
   python3.11 scripts/measure-wheel-ratios.py [deb-package ...]
"""
import compileall, glob, json, os, subprocess, sys, sysconfig, tempfile, zipfile

def tree_bytes(root):
    total = 0
    for dirpath, _, files in os.walk(root):
        for f in files:
            p = os.path.join(dirpath, f)
            total += os.lstat(p).st_size
    return total

def zipped_bytes(root, out):
    with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for dirpath, _, files in os.walk(root):
            for f in sorted(files):
                p = os.path.join(dirpath, f)
                if os.path.islink(p):
                    continue
                z.write(p, os.path.relpath(p, root))
    return os.path.getsize(out)

results = {}
work = tempfile.mkdtemp(prefix='wheel-ratio-')

# 1. real wheels bundled with this interpreter
bundled = glob.glob(os.path.join(sysconfig.get_paths()['stdlib'], 'ensurepip', '_bundled', '*.whl'))
for wheel in bundled:
    name = os.path.basename(wheel).split('-')[0]
    venv = os.path.join(work, 'venv-' + name)
    subprocess.run([sys.executable, '-m', 'venv', '--without-pip', venv], check=True)
    site = glob.glob(os.path.join(venv, 'lib', 'python*', 'site-packages'))[0]
    before = tree_bytes(site)
    # install the wheel with the bundled pip itself (pip runs from its own wheel, as ensurepip does)
    pip_wheel = [w for w in bundled if os.path.basename(w).startswith('pip-')][0]
    subprocess.run([os.path.join(venv, 'bin', 'python'), os.path.join(pip_wheel, 'pip'), 'install', '--no-index', '--no-deps', '--quiet', wheel], check=True)
    results[os.path.basename(wheel)] = {
        'wheelBytes': os.path.getsize(wheel), 'installedBytes': tree_bytes(site) - before,
        'what': 'real wheel installed with pip into a fresh venv (files + .pyc + dist-info)',
    }

# 2. Debian's builds of the heavy libraries, zipped as a wheel would be
for deb in sys.argv[1:]:
    d = os.path.join(work, deb)
    os.makedirs(d)
    subprocess.run(['apt-get', 'download', '-q', deb], cwd=d, check=True, stdout=subprocess.DEVNULL)
    debfile = glob.glob(os.path.join(d, '*.deb'))[0]
    subprocess.run(['dpkg-deb', '-x', debfile, os.path.join(d, 'root')], check=True)
    pkgroot = os.path.join(d, 'root', 'usr', 'lib', 'python3', 'dist-packages')
    if not os.path.isdir(pkgroot):
        # a shared-library package (libtorch): its files minus docs, as a wheel would bundle them
        pkgroot = os.path.join(d, 'root')
        subprocess.run(['rm', '-rf', os.path.join(pkgroot, 'usr', 'share', 'doc')], check=True)
    wheel_bytes = zipped_bytes(pkgroot, os.path.join(d, 'as-wheel.zip'))
    compileall.compile_dir(pkgroot, quiet=1, workers=1)
    results[os.path.basename(debfile)] = {
        'wheelBytes': wheel_bytes, 'installedBytes': tree_bytes(pkgroot),
        'what': 'Debian bookworm package: dist-packages files zipped with deflate 6 as the wheel, files + .pyc compiled by Python %d.%d as installed' % sys.version_info[:2],
    }

for r in results.values():
    r['ratio'] = round(r['installedBytes'] / r['wheelBytes'], 3)
json.dump(results, sys.stdout, indent=1)
print()
