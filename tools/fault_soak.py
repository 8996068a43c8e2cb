"""A randomized fault soak: kill `largeloss-train` runs at random and at named moments, resume each until it finishes,
and compare its end state with a straight run's; then damage checkpoints in several ways and check what a resume does.

    python tools/fault_soak.py --schemes LL-Cp LL-R ROLE --kills 20            # the long form
    python tools/fault_soak.py --short                                          # the CI form: one scheme, a few kills and damages
    python tools/fault_soak.py --schemes LL-Cp --kills 10 --processes 2         # data-parallel (accelerate, gloo)

Each chain starts a run and SIGKILLs it, then resumes it with `largeloss-train --resume` (or starts it again while no
checkpoint exists), killing again, until the run finishes. The kills come at random moments, plus one at each named
moment: while a checkpoint is written (its temporary file exists), just after a checkpoint's rename, in validation, in
the final test pass and while the final files are written. With `--processes 2` one worker process is killed (each in
turn), and the launcher brings the other down. The end state compared with the straight run's: test mAP, every epoch's
metrics, a digest of the kept model, of the last weights, of the optimizer state and of the label store, the memorization
log, the checkpoint's recorder state; and no temporary file may be left. The damages: a checkpoint truncated, emptied,
garbled, replaced by random bytes, with 8 tensor bytes flipped, or missing; with the previous checkpoint intact the run
must warn in one line and finish equal to the straight run, and with both damaged it must fail with one line that names
the file. Prints one table; exits 1 if any chain or damage fails."""
import argparse, hashlib, json, os, random, re, shutil, signal, subprocess, sys, threading, time, zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from largeloss_fastai.checkpoint import flip_tensor_bytes
BIN = Path(sys.executable).parent
NAMED = ('checkpoint write', 'after rename', 'validation', 'test pass', 'final writes')

def command(out, a, resume=False):
    "The `largeloss-train` command line of a run (or of its resume), in one or several processes"
    args = ['--resume', str(out)] if resume else [
        '--mod_scheme', a.scheme, '--arch', 'demo', '--num_epochs', str(a.epochs), '--seed', '0', '--out', str(out),
        '--data_path', str(a.work/'demo'), '--n_train', str(a.n_train), '--n_test', str(a.n_test), '--record_memorization']
    if a.processes > 1:
        return [str(BIN/'accelerate'), 'launch', '--multi_gpu', '--num_processes', str(a.processes), '--num_machines', '1',
                '--mixed_precision', 'no', '--dynamo_backend', 'no', str(BIN/'largeloss-train'), *args]
    return [str(BIN/'largeloss-train'), *args]

class Run:
    "A `largeloss-train` process (group) whose output is read as it comes, to tell the phase it is in"
    BAR = re.compile(r'(Epoch \d+/\d+ : )?\|[█-]*\| [\d.]+% \[(\d+)/(\d+)')
    def __init__(self, cmd, env):
        self.p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.text, self.phase, self.train_total = '', None, None
        threading.Thread(target=self._read, daemon=True).start()
    def _read(self):
        buf = ''
        while True:
            c = self.p.stdout.read1(4096).decode(errors='replace') if hasattr(self.p.stdout, 'read1') else self.p.stdout.read(1).decode()
            if not c: return
            self.text += c; buf = (buf + c)[-400:]
            for m in self.BAR.finditer(buf):
                epoch, total = m.group(1), int(m.group(3))
                if epoch is None: self.phase = 'test pass'
                elif self.train_total is None or self.train_total == total: self.train_total, self.phase = total, 'train'
                else: self.phase = 'validation'
    def kill(self, worker=None):
        "SIGKILL the whole run, or one worker process of a data-parallel run (the launcher then ends the others)"
        if worker is None: os.killpg(self.p.pid, signal.SIGKILL)
        else:
            ws = workers(self.p.pid)
            if ws: os.kill(ws[worker % len(ws)], signal.SIGKILL)
            try: self.p.wait(timeout=60)
            except subprocess.TimeoutExpired: pass
            try: os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError: pass
        self.p.wait()

def workers(pid):
    "The worker processes (`largeloss-train`, not the launcher) in the process group of `pid`"
    out = []
    for d in Path('/proc').iterdir():
        if not d.name.isdigit(): continue
        try:
            cmd = (d/'cmdline').read_bytes().replace(b'\0', b' ').decode()
            if 'largeloss-train' in cmd and os.getpgid(int(d.name)) == os.getpgid(pid) and int(d.name) != pid and 'accelerate' not in cmd: out.append(int(d.name))
        except (OSError, ProcessLookupError): pass
    return sorted(out)

def at_moment(run, out, name, ck_mtime):
    "Whether `run` is now at the named moment"
    tmps = [p.name for p in out.glob('.tmp-*')] if out.is_dir() else []
    if name == 'checkpoint write': return any(n.endswith('-checkpoint.pth') for n in tmps)
    if name == 'after rename':
        ck = out/'checkpoint.pth'
        return ck.is_file() and ck.stat().st_mtime_ns != ck_mtime
    if name == 'final writes': return any(not n.endswith('checkpoint.pth') for n in tmps) or (out/'model.pth').is_file()
    return run.phase == name

def chain(a, out, rng, log):
    "Kill a run `a.kills` times at random moments, then once at each named moment, resuming it each time; then let it finish"
    env = {**os.environ, 'OMP_NUM_THREADS': '1', 'PYTHONUNBUFFERED': '1'} # unbuffered: the progress bars tell the phase as it comes
    plan = [('random', None)] * a.kills + [(n, None) for n in NAMED]
    kills, hit, n_kill, i, tries = [], {}, 0, 0, 0
    while True:
        what = plan[i][0] if i < len(plan) else None
        resume = (out/'checkpoint.pth').is_file() or (out/'checkpoint.prev.pth').is_file()
        if (out/'metrics.json').is_file() and what is not None: # finished before the plan ran out: start it again
            shutil.rmtree(out); resume = False
        if what is None and (out/'metrics.json').is_file(): return kills, hit, 0 # the last kill came too late to stop it
        run = Run(command(out, a, resume), env)
        if what is None: # the last launch: to the end
            run.p.wait()
            if run.p.returncode != 0: log(f"  final resume failed: {run.text.strip().splitlines()[-1:]}")
            return kills, hit, run.p.returncode
        delay = rng.uniform(0.05, 1.0) * a.straight_s
        t0, ck = time.time(), out/'checkpoint.pth'
        ck_mtime = ck.stat().st_mtime_ns if ck.is_file() else None
        while run.p.poll() is None:
            if what == 'random' and time.time() - t0 >= delay: break
            if what != 'random' and at_moment(run, out, what, ck_mtime): break
            time.sleep(0.002)
        if run.p.poll() is not None: # it finished (or failed) before the moment came: try again (a named moment twice at most)
            if run.p.returncode != 0: log(f"  a run failed before its kill: {run.text.strip().splitlines()[-1:]}"); return kills, hit, run.p.returncode
            tries += 1
            if what != 'random' and tries >= 2: i, tries = i + 1, 0
            continue
        run.kill(worker=n_kill if a.processes > 1 else None)
        n_kill += 1
        kills.append(what); hit[what] = hit.get(what, 0) + 1
        log(f"  kill {n_kill}: {what}" + (f" at {time.time() - t0:.1f} s" if what == 'random' else ''))
        i, tries = i + 1, 0

def tensors_digest(d):
    "sha256 of a dict of tensors (nested dicts and lists allowed), in key order"
    import torch
    h = hashlib.sha256()
    def walk(o):
        if isinstance(o, dict):
            for k in sorted(o, key=str): h.update(str(k).encode()); walk(o[k])
        elif isinstance(o, (list, tuple)):
            for v in o: walk(v)
        elif isinstance(o, torch.Tensor): h.update(o.detach().cpu().contiguous().numpy().tobytes())
        else: h.update(repr(o).encode())
    walk(d)
    return h.hexdigest()[:16]

def end_state(out):
    "What a finished run leaves that must not depend on kills and resumes"
    import torch
    m = json.loads((out/'metrics.json').read_text())
    ck = torch.load(out/'checkpoint.pth', map_location='cpu', weights_only=True)
    mem = ck['callbacks'].get('memorization_recorder', {})
    return {'test mAP': m['test_map'], 'epochs': json.dumps(m['epochs']), 'kept model': tensors_digest(torch.load(out/'model.pth', weights_only=True)),
            'weights': tensors_digest(ck['model']), 'optimizer': tensors_digest(ck['opt']), 'label store': tensors_digest(ck['labels']),
            'recorder': tensors_digest({k: ck['recorder'][k] for k in ('values', 'losses', 'lrs', 'iters')}),
            'memorization': tensors_digest(mem) + (out/'memorization.csv').read_text(), 'steps': ck.get('train_iter')}

DAMAGES = {'truncated': lambda f: f.write_bytes(f.read_bytes()[:f.stat().st_size // 2]),
           'empty': lambda f: f.write_bytes(b''),
           'garbled': lambda f: f.write_bytes(bytes(x ^ 0x5A for x in f.read_bytes()[:4096]) + f.read_bytes()[4096:]),
           'random bytes': lambda f: f.write_bytes(os.urandom(f.stat().st_size)),
           '8 tensor bytes flipped': lambda f: flip_tensor_bytes(f),
           'missing': lambda f: f.unlink()}

SHORT_DAMAGES = {('8 tensor bytes flipped', False), ('8 tensor bytes flipped', True), ('truncated', False), ('missing', False)}

def damages(a, straight, ref, log):
    "Each damage to checkpoint.pth with the previous checkpoint intact (warn, finish equal), then to both (one clear line)"
    rows, env = [], {**os.environ, 'OMP_NUM_THREADS': '1'}
    for name, hurt in DAMAGES.items():
        for both in (False, True):
            if both and name == 'missing': continue
            if a.short and (name, both) not in SHORT_DAMAGES: continue
            d = a.work/f'damaged-{name.replace(" ", "_")}-{both}'
            shutil.rmtree(d, ignore_errors=True); shutil.copytree(straight, d)
            (d/'metrics.json').unlink() # as after a kill in the final phase: the run needs its resume
            hurt(d/'checkpoint.pth')
            if both: hurt(d/'checkpoint.prev.pth')
            r = subprocess.run(command(d, a, resume=True), capture_output=True, text=True, env=env)
            err = [l for l in r.stderr.splitlines() if l.startswith(('error:', 'warning:')) and ('checkpoint' in l)]
            if both:
                ok = r.returncode == 1 and len(err) == 1 and err[0].startswith('error:') and 'checkpoint.prev.pth' in err[0]
            else:
                ok = r.returncode == 0 and len(err) == 1 and 'previous checkpoint' in err[0] and end_state(d) == ref
            rows.append((name, 'both' if both else 'last only', 'yes' if ok else 'NO', (err or r.stderr.strip().splitlines()[-1:] or [''])[0][:150]))
            log(f"  {name:24s} {'both' if both else 'last':5s} {'ok' if ok else 'FAILED'}: {rows[-1][3]}")
            shutil.rmtree(d, ignore_errors=True)
    return rows

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--schemes', nargs='+', default=['LL-Cp'], help='the --mod_scheme of each soaked run')
    p.add_argument('--kills', type=int, default=20, help='random kills per scheme (the named moments come on top)')
    p.add_argument('--epochs', type=int, default=6)
    p.add_argument('--n_train', type=int, default=800, help="the demo's training images")
    p.add_argument('--n_test', type=int, default=200)
    p.add_argument('--processes', type=int, default=1, help='2: data-parallel with accelerate (gloo), one worker killed at a time')
    p.add_argument('--no_damage', action='store_true', help='skip the damaged-checkpoint cases')
    p.add_argument('--seed', type=int, default=0, help='seed of the kill moments')
    p.add_argument('--work', type=Path, default=Path('runs/fault_soak'))
    p.add_argument('--short', action='store_true', help='the CI form: LL-Cp, 3 epochs of 150 images, 3 random kills, 4 damages')
    p.add_argument('--json', type=Path, help='also write the table there')
    a = p.parse_args()
    if a.short: a.schemes, a.kills, a.epochs, a.n_train, a.n_test = ['LL-Cp'], 3, 3, 150, 40
    a.work.mkdir(parents=True, exist_ok=True)
    log = lambda s: print(s, flush=True)
    rng, table, ok_all = random.Random(a.seed), [], True
    for scheme in a.schemes:
        a.scheme = scheme
        straight = a.work/f'{scheme}-straight'
        shutil.rmtree(straight, ignore_errors=True)
        t0 = time.time()
        r = subprocess.run(command(straight, a), capture_output=True, text=True, env={**os.environ, 'OMP_NUM_THREADS': '1'})
        if r.returncode: sys.exit(f"the straight run of {scheme} failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
        a.straight_s = time.time() - t0
        ref = end_state(straight)
        log(f"{scheme}: straight run {a.straight_s:.0f} s, test mAP {ref['test mAP']:.2f}")
        out = a.work/f'{scheme}-chain'
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.time()
        kills, hit, rc = chain(a, out, rng, log)
        state = end_state(out) if rc == 0 and (out/'metrics.json').is_file() else {}
        differ = [k for k in ref if state.get(k) != ref[k]]
        left = sorted(p.name for p in out.glob('.tmp-*')) if out.is_dir() else []
        row = dict(scheme=scheme, processes=a.processes, kills=len(kills), random=hit.get('random', 0),
                   named=', '.join(n for n in NAMED if hit.get(n)), missed=', '.join(n for n in NAMED if not hit.get(n)),
                   equal='yes' if not differ else 'NO: ' + ', '.join(differ), temporary_left=len(left), wall_s=round(time.time() - t0))
        table.append(row); ok_all &= not differ and not left
        log(f"  {row}")
        if not a.no_damage and a.processes == 1:
            rows = damages(a, straight, ref, log)
            table.append(dict(scheme=scheme, damages=[dict(zip(('damage', 'files', 'clear outcome', 'line'), r)) for r in rows]))
            ok_all &= all(r[2] == 'yes' for r in rows)
    print('\n| scheme | processes | kills (random + named) | named moments hit | chain equal to the straight run | temporary files left |')
    print('|---|---|---|---|---|---|')
    for r in table:
        if 'kills' in r: print(f"| {r['scheme']} | {r['processes']} | {r['kills']} ({r['random']} + {r['kills'] - r['random']}) | {r['named'] or '-'} | {r['equal']} | {r['temporary_left']} |")
    dm = [d for r in table for d in r.get('damages', [])]
    if dm:
        print('\n| damage to checkpoint.pth | which files | one clear line, and equal end when the previous one is intact |')
        print('|---|---|---|')
        for d in dm: print(f"| {d['damage']} | {d['files']} | {d['clear outcome']} |")
    if a.json: a.json.write_text(json.dumps(dict(args={k: str(v) for k, v in vars(a).items()}, table=table), indent=1))
    print(f"\nsoak: {'all equal, every damage named, nothing temporary left' if ok_all else 'FAILED'}")
    sys.exit(0 if ok_all else 1)

if __name__ == '__main__': main()
