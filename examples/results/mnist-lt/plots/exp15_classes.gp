set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp15_classes.png"
set title "per-class test accuracy"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
set yrange [0:105]
set xlabel 'class'
set ylabel 'accuracy (%)'
set key outside right
set grid ytics
plot "examples/results/mnist-lt/plots/exp15_classes.dat" using 2:xtic(1) title "plain (best)", "examples/results/mnist-lt/plots/exp15_classes.dat" using 3 title "plain/logit_adjusted", "examples/results/mnist-lt/plots/exp15_classes.dat" using 4 title "plain/tau_normalised", "examples/results/mnist-lt/plots/exp15_classes.dat" using 5 title "weight_decay (best)", "examples/results/mnist-lt/plots/exp15_classes.dat" using 6 title "weight_decay/logit_adjusted", "examples/results/mnist-lt/plots/exp15_classes.dat" using 7 title "weight_decay/tau_normalised", "examples/results/mnist-lt/plots/exp15_classes.dat" using 8 title "weight_decay_maxnorm (best)", "examples/results/mnist-lt/plots/exp15_classes.dat" using 9 title "weight_decay_maxnorm/logit_adjusted", "examples/results/mnist-lt/plots/exp15_classes.dat" using 10 title "weight_decay_maxnorm/tau_normalised"
