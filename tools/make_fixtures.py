"""Write the small fixture copies of the official dataset layouts into data/fixtures (deterministic; run from the repo root).

Each fixture holds a few tiny images and annotations in the exact official format, built so that the readers' rules
can be checked by hand: unsorted lists, images without any positive (dropped by the reference preprocessing),
difficult VOC entries, COCO image ids whose string order differs from their numeric order, non-contiguous COCO
category ids, duplicate rows in a label CSV."""
import json, shutil
from pathlib import Path
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]/'data'/'fixtures'
VOC = ['aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus', 'car', 'cat', 'chair', 'cow', 'diningtable', 'dog',
       'horse', 'motorbike', 'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor']

def jpg(fn, seed, size=(24, 16)):
    "A tiny JPEG of one random colour"
    fn = Path(fn); fn.parent.mkdir(parents=True, exist_ok=True)
    c = tuple(int(v) for v in np.random.RandomState(seed).randint(0, 256, 3))
    Image.new('RGB', size, c).save(fn, quality=90)

def voc(year, phases):
    "VOCdevkit/VOC<year>: ImageSets/Main/<class>_<phase>.txt, Annotations/<id>.xml, JPEGImages/<id>.jpg"
    root = ROOT/'voc'/'VOCdevkit'/f'VOC{year}'
    # image id -> {class: label (1 positive, 0 difficult)}; boxes: (class, xmin, ymin, xmax, ymax, difficult), 1-based
    objs = {'2008_000003': [('person', 2, 3, 10, 14, 0), ('dog', 12, 5, 22, 15, 0), ('chair', 1, 1, 5, 5, 1)],
            '2008_000002': [('cat', 4, 2, 20, 13, 0)],
            '2009_000001': [('car', 1, 8, 12, 16, 0), ('bus', 10, 1, 24, 12, 0), ('person', 5, 5, 8, 15, 0)],
            '2008_000007': [('bottle', 3, 3, 6, 9, 1)],  # only a difficult object: no positive label
            '2010_000001': [('aeroplane', 2, 2, 23, 10, 0)],
            '2008_000005': [('tvmonitor', 1, 1, 8, 8, 0), ('sofa', 5, 6, 24, 16, 0), ('person', 9, 2, 14, 16, 0)],
            '2008_000009': [('horse', 3, 4, 20, 16, 0), ('person', 8, 1, 14, 10, 0)]}
    split = dict(zip(phases, (['2008_000003', '2008_000002', '2009_000001', '2008_000007'],
                              ['2010_000001', '2008_000005', '2008_000009'])))
    if year == 2007: split = {phases[0]: split[phases[0]][:2], phases[1]: split[phases[1]][:2]}
    main = root/'ImageSets'/'Main'; main.mkdir(parents=True, exist_ok=True)
    for ph, ids in split.items():
        for c in VOC:
            lines = []
            for i in ids:
                labs = [1 - d for n, *_, d in objs[i] if n == c]
                lab = max(labs) if labs else -1
                lines.append(f'{i} {lab:2d}')
            (main/f'{c}_{ph}.txt').write_text('\n'.join(lines) + '\n')
    for i in sum(split.values(), []):
        jpg(root/'JPEGImages'/f'{i}.jpg', int(i.replace('_', '')) % 1000)
        ob = ''.join(f'\t<object>\n\t\t<name>{n}</name>\n\t\t<pose>Unspecified</pose>\n\t\t<truncated>0</truncated>\n'
                     f'\t\t<difficult>{d}</difficult>\n\t\t<bndbox>\n\t\t\t<xmin>{x0}</xmin>\n\t\t\t<ymin>{y0}</ymin>\n'
                     f'\t\t\t<xmax>{x1}</xmax>\n\t\t\t<ymax>{y1}</ymax>\n\t\t</bndbox>\n\t</object>\n'
                     for n, x0, y0, x1, y1, d in objs[i])
        (root/'Annotations').mkdir(exist_ok=True)
        (root/'Annotations'/f'{i}.xml').write_text(
            f'<annotation>\n\t<folder>VOC{year}</folder>\n\t<filename>{i}.jpg</filename>\n\t<size>\n\t\t<width>24</width>\n'
            f'\t\t<height>16</height>\n\t\t<depth>3</depth>\n\t</size>\n\t<segmented>0</segmented>\n{ob}</annotation>\n')

def coco():
    "annotations/instances_{train,val}2014.json and {train,val}2014/COCO_<split>2014_<id:012d>.jpg"
    cats = [dict(supercategory='person', id=1, name='person'), dict(supercategory='vehicle', id=2, name='bicycle'),
            dict(supercategory='vehicle', id=3, name='car'), dict(supercategory='animal', id=18, name='dog'),
            dict(supercategory='indoor', id=90, name='toothbrush')]
    # image id -> [(category id, bbox x, y, w, h)]; string order of the ids differs from their numeric order
    anns = {'train': {9: [(1, 1, 2, 5, 8), (18, 10, 3, 8, 9), (1, 15, 1, 4, 4)], 25: [(3, 0, 0, 12, 7)],
                      100: [(90, 3, 3, 2, 6), (2, 8, 1, 10, 12)], 30: [], 1000: [(1, 2, 2, 20, 12)]},
            'val': {42: [(18, 2, 2, 9, 9)], 139: [(1, 0, 0, 24, 16), (3, 4, 4, 6, 6)], 7: [], 5: [(2, 1, 1, 3, 3)]}}
    for s, imgs in anns.items():
        images, annotations = [], []
        for i, objs in imgs.items():
            fn = f'COCO_{s}2014_{i:012d}.jpg'
            images.append(dict(license=1, file_name=fn, height=16, width=24, id=i))
            jpg(ROOT/'coco'/f'{s}2014'/fn, i)
            for c, x, y, w, h in objs:
                annotations.append(dict(segmentation=[], area=float(w * h), iscrowd=0, image_id=i,
                                        bbox=[float(x), float(y), float(w), float(h)], category_id=c, id=len(annotations) + 1))
        (ROOT/'coco'/'annotations').mkdir(parents=True, exist_ok=True)
        (ROOT/'coco'/'annotations'/f'instances_{s}2014.json').write_text(json.dumps(
            dict(info=dict(description='largeloss_fastai fixture'), licenses=[], images=images,
                 annotations=annotations, categories=cats)))

def cub():
    "attributes.txt, CUB_200_2011/{images.txt, train_test_split.txt, attributes/image_attribute_labels.txt, images/}"
    root = ROOT/'cub'
    attrs = ['has_bill_shape::curved_(up_or_down)', 'has_bill_shape::dagger', 'has_wing_color::blue', 'has_size::small_(5_-_9_in)']
    imgs = ['001.Black_footed_Albatross/Black_Footed_Albatross_0046_18.jpg', '001.Black_footed_Albatross/Black_Footed_Albatross_0009_34.jpg',
            '002.Laysan_Albatross/Laysan_Albatross_0002_1027.jpg', '014.Indigo_Bunting/Indigo_Bunting_0001_12469.jpg',
            '014.Indigo_Bunting/Indigo_Bunting_0010_13000.jpg']
    is_train = [1, 0, 1, 1, 0]
    present = [[0, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0], [0, 0, 1, 1], [0, 1, 1, 1]]
    (root/'CUB_200_2011'/'attributes').mkdir(parents=True, exist_ok=True)
    (root/'attributes.txt').write_text(''.join(f'{j + 1} {a}\n' for j, a in enumerate(attrs)))
    (root/'CUB_200_2011'/'images.txt').write_text(''.join(f'{i + 1} {f}\n' for i, f in enumerate(imgs)))
    (root/'CUB_200_2011'/'train_test_split.txt').write_text(''.join(f'{i + 1} {t}\n' for i, t in enumerate(is_train)))
    (root/'CUB_200_2011'/'attributes'/'image_attribute_labels.txt').write_text(''.join(
        f'{i + 1} {j + 1} {p} {3 if p else 1} {11.5 + i + j:.3f}\n' for i, row in enumerate(present) for j, p in enumerate(row)))
    for i, f in enumerate(imgs): jpg(root/'CUB_200_2011'/'images'/f, 200 + i)

def nuswide():
    "The reference code's formatted files (NUS-WIDE is distributed that way) and Flickr/<concept>/<file>.jpg"
    root = ROOT/'nuswide'; root.mkdir(parents=True, exist_ok=True)
    concepts = ['airport', 'animal', 'beach', 'bear']
    (root/'Concepts81.txt').write_text('\n'.join(concepts) + '\n')
    data = {'train': (['actor/0001_2124494179.jpg', 'beach/0002_2366453.jpg', 'animal/0013_429.jpg'],
                      [[1, 0, 0, 1], [0, 0, 1, 0], [1, 1, 0, 1]]),
            'val': (['airport/0004_1233.jpg', 'bear/0003_1.jpg'], [[1, 0, 0, 0], [0, 1, 0, 1]])}
    for ph, (imgs, labs) in data.items():
        np.save(root/f'formatted_{ph}_images.npy', np.array(imgs))
        np.save(root/f'formatted_{ph}_labels.npy', np.array(labs, dtype=np.float64))
        for k, f in enumerate(imgs): jpg(root/'Flickr'/f, 300 + k + 10 * len(ph))

def image_csv():
    "The movie-poster layout: labels.csv (Id, a text column, 0/1 genre columns, a duplicated row) and images/<Id>.jpg"
    root = ROOT/'image_csv'; (root/'images').mkdir(parents=True, exist_ok=True)
    rows = [('tt0086039', "['Comedy', 'Drama']", 0, 1, 1, 0), ('tt0086340', "['Action']", 1, 0, 0, 0),
            ('tt0086425', "['Action', 'Drama']", 1, 0, 1, 0), ('tt0086340', "['Action']", 1, 0, 0, 0),
            ('tt0086491', "['N/A']", 0, 0, 0, 1), ('tt0086567', "['Comedy']", 0, 1, 0, 0)]
    lines = ['Id,Genre,Action,Comedy,Drama,N/A'] + [f'{i},"{g}",{a},{c},{d},{n}' for i, g, a, c, d, n in rows]
    (root/'labels.csv').write_text('\n'.join(lines) + '\n')
    for k, r in enumerate(dict.fromkeys(r[0] for r in rows)): jpg(root/'images'/f'{r}.jpg', 400 + k)

def openimages():
    "OpenImages V3: 2017_11/{classes-trainable.txt, class-descriptions.csv, <split>/annotations-human.csv}, images_<split>/<ImageID>.jpg"
    root = ROOT/'openimages'; meta = root/'2017_11'
    mids = [f'/m/0{c}' for c in 'abcdefghij']                   # 10 trainable classes
    (meta/'train').mkdir(parents=True, exist_ok=True)
    (meta/'classes-trainable.txt').write_text('\n'.join(mids) + '\n')
    names = ['Tree', 'Person', 'Car', 'Dog', 'Cat', 'Boat', 'Flower', 'Building', 'Sky', 'Food']
    (meta/'class-descriptions.csv').write_text(''.join(f'{m},{n}\n' for m, n in zip(mids + ['/m/0zz'], names + ['Not trainable'])))
    # training images labelled per class (the groups' order): class j has a verified label in the first counts[j] images
    counts = [5, 1, 8, 3, 0, 2, 7, 4, 6, 2]
    train = [f'{i:016x}' for i in (0x2b66c9c498e, 0x1d3c4a4b5e7, 0xa71e9f0c3b2, 0x3f0e2b1d4c6, 0xc0ffee00123, 0x5e5e5e5e5e5, 0x9b8a7c6d5e4, 0x41c2d3e4f50)]
    rows = [(train[i], 'verification', mids[j], (i + j) % 2) for j, c in enumerate(counts) for i in range(c)]
    rows += [(train[0], 'verification', '/m/0zz', 1), (train[1], 'crowdsource-verification', mids[2], (1 + 2) % 2)]  # not trainable; a repeat
    splits = {'train': ('images_train', rows),
              'validation': ('images_val', [('0b1b2b3b4b5b6b7b', 'verification', mids[0], 1), ('0b1b2b3b4b5b6b7b', 'verification', mids[4], 0),
                                            ('1c1c2c3c4c5c6c7c', 'verification', mids[4], 1), ('2d2d2d2d2d2d2d2d', 'verification', mids[0], 0)]),
              'test': ('images_test', [('3e3e3e3e3e3e3e3e', 'verification', mids[j], int(j < 5)) for j in range(10)] +
                                      [('4f4f4f4f4f4f4f4f', 'verification', mids[j], int(j >= 5)) for j in range(10)] +
                                      [('5a5a5a5a5a5a5a5a', 'verification', mids[j], j % 2) for j in range(10)])}
    for s, (folder, rs) in splits.items():
        (meta/s).mkdir(parents=True, exist_ok=True)
        (meta/s/'annotations-human.csv').write_text('ImageID,Source,LabelName,Confidence\n' + ''.join(f'{a},{b},{c},{d}\n' for a, b, c, d in rs))
        for k, i in enumerate(dict.fromkeys(r[0] for r in rs)): jpg(root/folder/f'{i}.jpg', 500 + k)

if __name__ == '__main__':
    for d in ('voc', 'coco', 'cub', 'nuswide', 'image_csv', 'openimages'): shutil.rmtree(ROOT/d, ignore_errors=True)
    voc(2012, ('train', 'val')); voc(2007, ('trainval', 'test')); coco(); cub(); nuswide(); image_csv(); openimages()
    print(f"fixtures written to {ROOT}: {sum(1 for f in ROOT.rglob('*') if f.is_file())} files")
