set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp08_classes.png"
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
plot "examples/results/mnist-lt/plots/exp08_classes.dat" using 2:xtic(1) title "plain_30 (best)", "examples/results/mnist-lt/plots/exp08_classes.dat" using 3 title "drw (best)"
