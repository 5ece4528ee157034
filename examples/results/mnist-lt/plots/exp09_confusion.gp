set terminal pngcairo size 900,540 font ',10'
set output "examples/results/mnist-lt/exp09_confusion.png"
set title "confusion matrix, row-normalised: cross_entropy, seed 1, best epoch"
set size ratio -1
set xlabel 'predicted class'
set ylabel 'true class'
set xrange [-0.5:9.5]
set yrange [9.5:-0.5]
set xtics 1
set ytics 1
set cblabel '% of the true class'
set cbrange [0:100]
set palette defined (0 'white', 1 '#1f4e9c')
plot "examples/results/mnist-lt/plots/exp09_confusion.dat" matrix with image notitle, "examples/results/mnist-lt/plots/exp09_confusion.dat" matrix using 1:2:($3 >= 0.5 ? sprintf('%.0f', $3) : '') with labels font ',8' notitle
