"""One training step (forward, backward, Adam) in the default and in the channels-last memory format, alternately, on
random inputs (in the format measured): the demo CNN at 64 px and ResNet-50 at 224 px, batch 16. Prints each
format's median step per round and the paired ratio (channels-last images/s over the default's, round by round:
slow phases of the machine cancel).

    python tools/step_memory_format.py demo 10 20        # model, rounds, timed steps per round (after one warm-up)
    OMP_NUM_THREADS=1 python tools/step_memory_format.py resnet50 5 3"""
import sys, time, torch, torchvision, numpy as np, torch.nn.functional as F
from largeloss_fastai.demo_model import demo_model

def main():
    which, rounds, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mk, size, K = ((lambda: demo_model(10, 64)), 64, 10) if which == 'demo' else \
                  ((lambda: torchvision.models.resnet50(num_classes=80)), 224, 80)
    B, models = 16, {}
    for cl in (False, True): # the same weights in both formats
        torch.manual_seed(0); m = mk()
        if cl: m = m.to(memory_format=torch.channels_last) # as fastai's `ChannelsLast`: the weights
        models[cl] = (m, torch.optim.Adam(m.parameters(), 1e-5))
    torch.manual_seed(0)
    x, y = torch.randn(B, 3, size, size), (torch.rand(B, K) < 0.1).float()
    res = {False: [], True: []}
    for _ in range(rounds):
        for cl in (False, True):
            m, opt = models[cl]
            xb = x.contiguous(memory_format=torch.channels_last) if cl else x
            ts = []
            for _ in range(steps + 1):
                t0 = time.perf_counter()
                F.binary_cross_entropy_with_logits(m(xb), y).backward(); opt.step(); opt.zero_grad()
                ts.append(time.perf_counter() - t0)
            res[cl].append(float(np.median(ts[1:])))
    for cl in (False, True):
        print(which, 'channels_last' if cl else 'default', 'median step ms', round(1e3 * np.median(res[cl]), 2),
              'per round', [round(1e3 * t, 1) for t in res[cl]])
    r = [a / b for a, b in zip(res[False], res[True])]
    print('paired ratios, channels-last img/s over default', [round(x, 2) for x in r],
          'median', round(float(np.median(r)), 3), 'threads', torch.get_num_threads())

if __name__ == '__main__': main()
