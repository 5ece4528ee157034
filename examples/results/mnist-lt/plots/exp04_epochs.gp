set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp04_epochs.png"
set title "test accuracy per epoch (mean over seeds)"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key outside right
plot "examples/results/mnist-lt/plots/exp04_epochs.dat" index 0 with linespoints title "balanced", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 1 with linespoints title "long_tail_10", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 2 with linespoints title "long_tail_50", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 3 with linespoints title "long_tail_100", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 4 with linespoints title "long_tail_200", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 5 with linespoints title "step_10", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 6 with linespoints title "step_50", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 7 with linespoints title "step_100", "examples/results/mnist-lt/plots/exp04_epochs.dat" index 8 with linespoints title "step_200"
