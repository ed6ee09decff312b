<?php
while (true) {
    echo "tick\n";
    sleep(5);
}
