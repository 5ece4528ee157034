set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp05_epochs.png"
set title "test accuracy per epoch (mean over seeds)"
set xlabel "epoch"
set ylabel "accuracy (%)"
set grid
set key outside right
plot "examples/results/mnist-lt/plots/exp05_epochs.dat" index 0 with linespoints title "plain", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 1 with linespoints title "random_over", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 2 with linespoints title "random_under", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 3 with linespoints title "weighted_random", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 4 with linespoints title "class_balanced", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 5 with linespoints title "square_root", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 6 with linespoints title "progressively_balanced", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 7 with linespoints title "label_shuffling", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 8 with linespoints title "batch_balanced", "examples/results/mnist-lt/plots/exp05_epochs.dat" index 9 with linespoints title "dynamic"
