"""Re-encode a notebook's largest PNG outputs as 256-colour PNGs (the same images, smaller files), in place.

    python tools/shrink_pngs.py nbs/lesson7/10_cam.ipynb [--min-kb 100]

For pages whose figures are photographs under heat maps: matplotlib's full-colour PNGs of them run to hundreds of KB
each. Only outputs larger than `--min-kb` (after base64) are touched, and only when the re-encoded file is smaller.
Run `nbdev_clean` afterwards, as after any edit.
"""
import base64, io, json, sys
from PIL import Image

def shrink(path, min_kb=100):
    nb = json.load(open(path))
    before = after = 0
    for c in nb['cells']:
        for o in c.get('outputs', []):
            png = o.get('data', {}).get('image/png')
            if not png or len(png) < min_kb*1024: continue
            im = Image.open(io.BytesIO(base64.b64decode(png))).convert('RGB')
            buf = io.BytesIO(); im.quantize(256, method=Image.Quantize.MEDIANCUT).save(buf, 'PNG', optimize=True)
            new = base64.b64encode(buf.getvalue()).decode()
            if len(new) < len(png): before, after = before + len(png), after + len(new); o['data']['image/png'] = new
    json.dump(nb, open(path, 'w'), indent=1, ensure_ascii=False); open(path, 'a').write('\n')
    print(f'{path}: PNG outputs re-encoded, {before/1024:.0f} KB -> {after/1024:.0f} KB')

if __name__ == '__main__':
    args = sys.argv[1:]
    min_kb = int(args[args.index('--min-kb') + 1]) if '--min-kb' in args else 100
    for p in args:
        if p.endswith('.ipynb'): shrink(p, min_kb)
