set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp14_epochs.png"
set title "test accuracy per epoch (mean over seeds)"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key outside right
plot "examples/results/mnist-lt/plots/exp14_epochs.dat" index 0 with linespoints title "cross_entropy", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 1 with linespoints title "ghm_c", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 2 with linespoints title "dice", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 3 with linespoints title "self_adjusting_dice", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 4 with linespoints title "label_smoothing", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 5 with linespoints title "tversky", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 6 with linespoints title "mfe", "examples/results/mnist-lt/plots/exp14_epochs.dat" index 7 with linespoints title "msfe"
