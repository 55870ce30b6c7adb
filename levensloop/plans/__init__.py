"""The levensloopplan: five life domains plus veiligheid and juridisch kader."""
